/**
 * `npm run cluster:up [-- --upstream]`: starts the local control plane (etcd, kube-apiserver,
 * kube-controller-manager) detached, installs the CRDs, writes `.cluster/kubeconfig` and returns
 * once it is ready. Idempotent: a healthy running cluster is reused.
 */
import { crdVariantFromArgs, ensureClusterUp, runMain } from './dev-cluster.ts';

runMain(async () => {
  await ensureClusterUp(crdVariantFromArgs(process.argv.slice(2)));
});
