import { runLiveConformance } from '../../core/sdk/testkit/index.ts';
import { istioDriver } from '../../drivers/istio/index.ts';
import { connectTestCluster } from '../cluster/index.ts';

runLiveConformance({
  driver: istioDriver,
  kubeconfig: connectTestCluster().kubeconfigPath,
  // A gateway selector of the run's own, so parallel runs never see each other's gateway Service.
  settings: (namespace) => ({ gatewaySelector: `oda-kit-gateway=${namespace}` }),
});
