/** `npm run cluster:down`: stops the local control plane of `cluster:up` and deletes `.cluster/`. */
import { clusterDown, runMain, say } from './dev-cluster.ts';

runMain(async () => {
  const started = performance.now();
  await clusterDown();
  say(`down in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
