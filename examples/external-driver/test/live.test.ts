import { runLiveConformance } from 'oda-api-operator/sdk/testkit';
import { driver } from '../src/index.ts';
import { liveHooks } from './live-hooks.ts';

// The driver inside the real operator, against the cluster of ODA_TEST_KUBECONFIG or KUBECONFIG.
runLiveConformance({ driver, hooks: liveHooks });
