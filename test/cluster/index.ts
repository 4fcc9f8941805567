/** The test-cluster harness: what integration tests, the test runner and the scripts use. */
export { startCluster, providerFromEnvironment } from './start-cluster.ts';
export type { ClusterProvider, RunningCluster, StartClusterOptions } from './running-cluster.ts';
export {
  connectTestCluster,
  testKubeconfigVariable,
  testNamespaceLabel,
  type TestCluster,
} from './connect-test-cluster.ts';
export { installCrds, waitUntilEstablished, harnessFieldManager } from './install-crds.ts';
export { projectCrds, thirdPartyCrds, toUpstreamVariant, exposedApiCrdName, type CrdVariant } from './crd-manifests.ts';
export { statusCodeOf, describeError } from './api-errors.ts';
export { waitFor, type WaitOptions } from './wait-for.ts';
export { startLocalControlPlane, type LocalControlPlane, type RestartableProcess } from './local-control-plane.ts';
