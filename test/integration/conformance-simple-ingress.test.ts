import { runLiveConformance } from '../../core/sdk/testkit/index.ts';
import { simpleIngressDriver } from '../../drivers/simple-ingress/index.ts';
import { connectTestCluster } from '../cluster/index.ts';

runLiveConformance({ driver: simpleIngressDriver, kubeconfig: connectTestCluster().kubeconfigPath });
