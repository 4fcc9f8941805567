import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ApiextensionsV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { thirdPartyCrdDirectory } from './assets.ts';
import { projectCrds, thirdPartyCrds, type CrdVariant } from './crd-manifests.ts';
import { installCrds } from './install-crds.ts';
import { startK3s } from './k3s-provider.ts';
import { startLocalControlPlane } from './local-control-plane.ts';
import {
  clusterProviders,
  runningCluster,
  type ClusterProvider,
  type RunningCluster,
  type StartClusterOptions,
} from './running-cluster.ts';

/**
 * Starts (or connects to) a cluster for a test run, with the CRDs installed:
 * - `local` (default): etcd + kube-apiserver + kube-controller-manager on loopback ports;
 * - `k3s`: a k3s container through @testcontainers/k3s (needs Docker and an image registry);
 * - `kubeconfig`: the existing cluster `KUBECONFIG` points at. Our CRDs are applied there; a
 *   third-party CRD is installed only when missing, so a real Istio's own CRDs stay untouched.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<RunningCluster> {
  const provider = options.provider ?? providerFromEnvironment();
  const crdVariant = options.crdVariant ?? 'project';
  const log = options.log ?? (() => undefined);
  if (provider === 'local') return startLocal(crdVariant, log);
  const scratchDir = await mkdtemp(join(tmpdir(), `oda-cluster-${provider}-`));
  const removeScratch = () => rm(scratchDir, { recursive: true, force: true });
  try {
    if (provider === 'k3s') {
      const k3s = await startK3s(log);
      const kubeconfigPath = join(scratchDir, 'kubeconfig');
      await writeFile(kubeconfigPath, k3s.kubeconfig, { mode: 0o600 });
      const stop = async () => {
        await k3s.stop();
        await removeScratch();
      };
      try {
        const version = await prepare(kubeconfigPath, crdVariant, 'all', log);
        return runningCluster({ provider, kubeconfigPath, version, crdVariant, scratchDir, stop });
      } catch (error) {
        await stop();
        throw error;
      }
    }
    const kubeconfigPath = await existingKubeconfig(scratchDir);
    const version = await prepare(kubeconfigPath, crdVariant, 'missing', log);
    return runningCluster({ provider, kubeconfigPath, version, crdVariant, scratchDir, stop: removeScratch });
  } catch (error) {
    await removeScratch();
    throw error;
  }
}

/**
 * The local control plane, started again on fresh ports when another program took one of the
 * ports between our probe and the bind (rare, but ephemeral ports are shared with outgoing
 * connections).
 */
async function startLocal(crdVariant: CrdVariant, log: (message: string) => void): Promise<RunningCluster> {
  for (let attempt = 1; ; attempt++) {
    const scratchDir = await mkdtemp(join(tmpdir(), 'oda-cluster-local-'));
    try {
      const plane = await startLocalControlPlane({ dir: scratchDir, crdVariant, log });
      const { kubeconfigPath, version } = plane;
      return runningCluster({
        provider: 'local',
        kubeconfigPath,
        version,
        crdVariant,
        scratchDir,
        stop: () => plane.stop(),
      });
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('address already in use');
      if (!portTaken || attempt === 3) throw error;
      log(`a port was taken by another program; starting again (attempt ${attempt + 1} of 3)`);
    }
  }
}

export function providerFromEnvironment(): ClusterProvider {
  const value = process.env.TEST_CLUSTER ?? 'local';
  const provider = clusterProviders.find((candidate) => candidate === value);
  if (provider === undefined) throw new Error(`TEST_CLUSTER=${value} is not one of: ${clusterProviders.join(', ')}`);
  return provider;
}

/**
 * The kubeconfig `KUBECONFIG` names, used in place; several files (`a:b`) are merged into one
 * file in the scratch directory.
 */
async function existingKubeconfig(scratchDir: string): Promise<string> {
  const value = process.env.KUBECONFIG;
  if (!value) throw new Error('TEST_CLUSTER=kubeconfig needs KUBECONFIG to point at the cluster to use');
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error(`KUBECONFIG=${value} has no current context`);
  if (!value.includes(delimiter)) return value;
  const merged = join(scratchDir, 'kubeconfig');
  await writeFile(merged, kc.exportConfig(), { mode: 0o600 });
  return merged;
}

/** Installs the CRDs and returns the server version. */
async function prepare(
  kubeconfigPath: string,
  variant: CrdVariant,
  thirdParty: 'all' | 'missing',
  log: (m: string) => void,
): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  let crds = await thirdPartyCrds(await thirdPartyCrdDirectory());
  if (thirdParty === 'missing') {
    const present = new Set(
      (await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map(
        (crd) => crd.metadata?.name,
      ),
    );
    crds = crds.filter((crd) => !present.has(crd.metadata?.name));
  }
  log(`installing CRDs (${crds.length} third-party)`);
  await installCrds(kc, [...(await projectCrds(variant)), ...crds]);
  return (await kc.makeApiClient(VersionApi).getCode()).gitVersion;
}
