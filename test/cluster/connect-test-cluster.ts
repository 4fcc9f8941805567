/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node v2 models are data-only classes and its API takes object literals (its documented use). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describeError } from './api-errors.ts';
import { exposedApiCrdName, type CrdVariant } from './crd-manifests.ts';
import { mintServiceAccountKubeconfig } from './service-account-kubeconfig.ts';

/** The environment variable the test runner sets to the admin kubeconfig of the cluster it started. */
export const testKubeconfigVariable = 'ODA_TEST_KUBECONFIG';

/** Label on every namespace made by `newNamespace`, to find leftovers. */
export const testNamespaceLabel = 'oda.tmforum.org/test-namespace';

export interface TestCluster {
  readonly kubeconfigPath: string;
  readonly server: string;
  /** A fresh admin client configuration. */
  kubeConfig(): KubeConfig;
  /** Kubeconfig authenticating as that ServiceAccount (created if missing); returns its path. */
  mintServiceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /**
   * Creates a namespace `<prefix>-<random>` and deletes it after the test given as `t` (or, without
   * one, after the test file).
   */
  newNamespace(prefix: string, t?: { after(fn: () => Promise<void>): void }): Promise<string>;
  /** Which ExposedAPI CRD is installed: with (`project`) or without (`upstream`) status subresource. */
  crdVariant(): Promise<CrdVariant>;
}

/**
 * Connects a test file to the cluster the test runner started for the whole run. Throws when
 * `ODA_TEST_KUBECONFIG` is missing: integration suites fail, never skip, without a control plane.
 * Registers a file-level `after` hook that deletes the namespaces it made and its scratch files.
 */
export function connectTestCluster(): TestCluster {
  const kubeconfigPath = process.env[testKubeconfigVariable];
  if (!kubeconfigPath) {
    throw new Error(
      `${testKubeconfigVariable} is not set: integration tests need a running control plane. ` +
        `Run them through the project's test runner, or start one with \`npm run cluster:up\` and ` +
        `export ${testKubeconfigVariable}=$PWD/.cluster/kubeconfig.`,
    );
  }
  if (!existsSync(kubeconfigPath))
    throw new Error(`${testKubeconfigVariable}=${kubeconfigPath}: no such file (is the cluster still up?)`);
  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc;
  };
  const scratchDir = mkdtempSync(join(tmpdir(), 'oda-test-'));
  const namespaces = new Set<string>();
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const deleteNamespace = async (name: string): Promise<void> => {
    namespaces.delete(name);
    await core.deleteNamespace({ name, propagationPolicy: 'Background' }).catch(() => undefined);
  };
  after(async () => {
    await Promise.all([...namespaces].map(deleteNamespace));
    rmSync(scratchDir, { recursive: true, force: true });
  });
  return {
    kubeconfigPath,
    server: kubeConfig().getCurrentCluster()?.server ?? '',
    kubeConfig,
    mintServiceAccountKubeconfig: (namespace, name) =>
      mintServiceAccountKubeconfig(kubeConfig(), scratchDir, namespace, name),
    newNamespace: async (prefix, t) => {
      const name = namespaceName(prefix);
      try {
        await core.createNamespace({ body: { metadata: { name, labels: { [testNamespaceLabel]: 'true' } } } });
      } catch (error) {
        throw new Error(`cannot create namespace ${name}: ${describeError(error)}`, { cause: error });
      }
      namespaces.add(name);
      t?.after(() => deleteNamespace(name));
      return name;
    },
    crdVariant: async () => {
      const crd = await kubeConfig()
        .makeApiClient(ApiextensionsV1Api)
        .readCustomResourceDefinition({ name: exposedApiCrdName });
      return crd.spec.versions.some((version) => version.subresources?.status !== undefined) ? 'project' : 'upstream';
    },
  };
}

/** `<prefix>-<8 hex>`, a valid DNS label (lower case, at most 63 characters). */
function namespaceName(prefix: string): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'test';
  return `${clean}-${randomBytes(4).toString('hex')}`;
}
