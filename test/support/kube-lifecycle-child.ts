/**
 * Child process of the "no dangling handles" integration test: starts a reflector with a real
 * watch, stops it, closes the client, prints the resources still keeping the event loop alive,
 * then returns without calling process.exit: the parent checks that the process ends by itself.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { Reflector } from '../../core/kube/reflector.ts';
import { configMapType } from './kube-fixtures.ts';

const [kubeconfigPath, namespace, closeClient] = process.argv.slice(2);
if (kubeconfigPath === undefined || namespace === undefined)
  throw new Error('usage: kube-lifecycle-child <kubeconfig> <namespace> [close|keep]');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
let watchOpened: () => void = () => undefined;
const opened = new Promise<void>((resolve) => (watchOpened = resolve));
const client = createKubeClient(kc, {
  onRequest: (verb, status) => {
    if (verb === 'WATCH' && status === 200) watchOpened();
  },
});
const reflector = new Reflector({
  client,
  resourceType: configMapType,
  namespace,
  project: (raw) => raw.metadata.name,
});
reflector.start();
await reflector.synced();
await opened;
await reflector.stop();
if (closeClient !== 'keep') client.close();
// A socket destroyed by stop() or close() finishes closing on a later turn of the event loop
// (its TCP handle's close callback): that one does not keep the process alive, so let it go.
await new Promise((resolve) => setTimeout(resolve, 10));
const resources = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap' && name !== 'PipeWrap');
process.stdout.write(`${JSON.stringify({ size: reflector.size, resources })}\n`);
