import { join } from 'node:path';
import { runConformance } from '../../core/sdk/testkit/index.ts';
import { gatewayApiDriver } from '../../drivers/gateway-api/index.ts';
import { SchemaValidator } from '../support/schema-validator.ts';

const schemas = new SchemaValidator();

runConformance({
  driver: gatewayApiDriver,
  expected: { dir: join(import.meta.dirname, '..', 'golden', 'out', 'gateway-api'), update: false },
  validate: (object) => schemas.validate(object),
});
