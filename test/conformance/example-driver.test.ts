import { join } from 'node:path';
import { loadModuleDriver } from '../../core/composition/module-driver.ts';
import { runConformance } from '../../core/sdk/testkit/index.ts';

/**
 * The example out-of-tree driver, loaded as the operator loads `driver: module:<file>` (its
 * `oda-api-operator/sdk` imports resolve to this operator's SDK, nothing installed), through the kit.
 */
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'external-driver');
const driver = await loadModuleDriver(join(EXAMPLE, 'src', 'index.ts'), EXAMPLE);

runConformance({ driver, expected: { dir: join(EXAMPLE, 'test', 'expected') } });
