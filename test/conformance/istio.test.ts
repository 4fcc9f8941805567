import { join } from 'node:path';
import { runConformance } from '../../core/sdk/testkit/index.ts';
import { istioDriver } from '../../drivers/istio/index.ts';
import { SchemaValidator } from '../support/schema-validator.ts';

const schemas = new SchemaValidator();

runConformance({
  driver: istioDriver,
  expected: { dir: join(import.meta.dirname, '..', 'golden', 'out', 'istio'), update: false },
  validate: (object) => schemas.validate(object),
});
