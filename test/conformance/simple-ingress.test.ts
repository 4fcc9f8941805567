import { join } from 'node:path';
import { runConformance } from '../../core/sdk/testkit/index.ts';
import { simpleIngressDriver } from '../../drivers/simple-ingress/index.ts';
import { SchemaValidator } from '../support/schema-validator.ts';

const schemas = new SchemaValidator();

runConformance({
  driver: simpleIngressDriver,
  expected: { dir: join(import.meta.dirname, '..', 'golden', 'out', 'simple-ingress'), update: false },
  validate: (object) => schemas.validate(object),
});
