import { KubeConfig } from '@kubernetes/client-node';
import type { CrdVariant } from './crd-manifests.ts';
import { mintServiceAccountKubeconfig } from './service-account-kubeconfig.ts';

/** Where the cluster comes from; chosen by `TEST_CLUSTER` unless given explicitly. */
export type ClusterProvider = 'local' | 'k3s' | 'kubeconfig';

export const clusterProviders: readonly ClusterProvider[] = ['local', 'k3s', 'kubeconfig'];

export interface StartClusterOptions {
  /** ExposedAPI CRD flavour to install (default `project`). */
  readonly crdVariant?: CrdVariant;
  /** Overrides `TEST_CLUSTER`. */
  readonly provider?: ClusterProvider;
  /** Progress messages (default: none). */
  readonly log?: (message: string) => void;
}

/** A Kubernetes API server with our CRDs and the third-party ones installed. */
export interface RunningCluster {
  readonly provider: ClusterProvider;
  /** Admin kubeconfig (self-contained; system:masters or the provider's admin). */
  readonly kubeconfigPath: string;
  readonly server: string;
  /** The API server's `gitVersion`, e.g. `v1.37.2`. */
  readonly version: string;
  readonly crdVariant: CrdVariant;
  /** A fresh client configuration for the admin kubeconfig. */
  kubeConfig(): KubeConfig;
  /** Kubeconfig authenticating as that ServiceAccount (created if missing); returns its path. */
  mintServiceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /** Stops what the provider started and deletes its files; idempotent. */
  stop(): Promise<void>;
}

export interface RunningClusterParts {
  readonly provider: ClusterProvider;
  readonly kubeconfigPath: string;
  readonly version: string;
  readonly crdVariant: CrdVariant;
  /** Where minted kubeconfigs are written (removed by `stop`). */
  readonly scratchDir: string;
  readonly stop: () => Promise<void>;
}

/** Builds the public handle shared by every provider. */
export function runningCluster(parts: RunningClusterParts): RunningCluster {
  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(parts.kubeconfigPath);
    return kc;
  };
  let stopping: Promise<void> | undefined;
  return {
    provider: parts.provider,
    kubeconfigPath: parts.kubeconfigPath,
    server: kubeConfig().getCurrentCluster()?.server ?? '',
    version: parts.version,
    crdVariant: parts.crdVariant,
    kubeConfig,
    mintServiceAccountKubeconfig: (namespace, name) =>
      mintServiceAccountKubeconfig(kubeConfig(), parts.scratchDir, namespace, name),
    stop: () => (stopping ??= parts.stop()),
  };
}
