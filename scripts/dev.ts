/**
 * `npm run dev [-- --upstream]`: a local ODA playground. Brings the local control plane up (or
 * reuses it), installs the sample Istio ingress gateway (address 127.0.0.1) and the sample
 * components from config/samples, then stops: the live operator has not landed yet, so there is
 * nothing to run against them. The cluster keeps running until `npm run cluster:down`.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { clusterKubeconfig, crdVariantFromArgs, ensureClusterUp, runMain, say } from './dev-cluster.ts';
import { installComponentSamples, installIngressGateway, samplesDir } from './dev-samples.ts';

runMain(async () => {
  const plane = await ensureClusterUp(crdVariantFromArgs(process.argv.slice(2)));
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  await installIngressGateway(kc);
  say('ingress gateway istio-system/istio-ingressgateway installed, address 127.0.0.1');
  const objects = await installComponentSamples(kc);
  const count = (kind: string): number => objects.filter((object) => object.kind === kind).length;
  say(
    `samples from ${samplesDir}: ${count('Component')} Components, ${count('ExposedAPI')} ExposedAPIs, ${count('API')} legacy APIs, ${count('Service')} Services, ${count('EndpointSlice')} EndpointSlices`,
  );
  say(`try: KUBECONFIG=${clusterKubeconfig} kubectl get exposedapis,apis,components -A`);
  say('the live operator has not landed yet: `dev` stops here, after the cluster part.');
  say('the cluster keeps running; `npm run cluster:down` stops it.');
});
