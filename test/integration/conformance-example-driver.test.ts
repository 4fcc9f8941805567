import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModuleDriver } from '../../core/composition/module-driver.ts';
import { runLiveConformance } from '../../core/sdk/testkit/index.ts';
import type { LiveHooks } from '../../core/sdk/testkit/index.ts';
import { connectTestCluster } from '../cluster/index.ts';

/**
 * The example out-of-tree driver, loaded as the operator loads `driver: module:<file>`, inside the
 * real operator. Its files are imported at run time only: the example is a package of its own,
 * whose `oda-api-operator/sdk` imports resolve to this operator's SDK when loaded this way.
 */
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'external-driver');
const driver = await loadModuleDriver(join(EXAMPLE, 'src', 'index.ts'), EXAMPLE);
const hooksModule = pathToFileURL(join(EXAMPLE, 'test', 'live-hooks.ts')).href;
const { liveHooks } = (await import(hooksModule)) as { liveHooks: LiveHooks };

runLiveConformance({ driver, kubeconfig: connectTestCluster().kubeconfigPath, hooks: liveHooks });
