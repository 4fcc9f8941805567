import { join } from 'node:path';
import { runConformance } from 'oda-api-operator/sdk/testkit';
import { driver } from '../src/index.ts';

// The shared golden cases, the driver's expected output for each (test/expected; regenerate with
// `npm run expected:update` and review), purity, limits, ownership and hostile input.
runConformance({ driver, expected: { dir: join(import.meta.dirname, 'expected') } });
