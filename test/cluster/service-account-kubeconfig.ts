/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node v2 models are data-only classes and its API takes object literals (its documented use). */
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { statusCodeOf } from './api-errors.ts';
import { base64Of } from './certificates.ts';
import { writeKubeconfig } from './kubeconfig-file.ts';

/** Lifetime of minted tokens: long enough for a `dev` session, bounded all the same. */
const tokenLifetimeSeconds = 12 * 60 * 60;

/**
 * Mints a kubeconfig that authenticates as `system:serviceaccount:<namespace>:<name>` with a
 * token from the TokenRequest API, so that a test runs the operator with exactly the RBAC it
 * granted. The ServiceAccount is created when missing (RBAC is the test's business). The file is
 * written as `<dir>/sa-<namespace>-<name>.kubeconfig`; its path is returned.
 */
export async function mintServiceAccountKubeconfig(
  admin: KubeConfig,
  dir: string,
  namespace: string,
  name: string,
): Promise<string> {
  const core = admin.makeApiClient(CoreV1Api);
  try {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, namespace } } });
  } catch (error) {
    if (statusCodeOf(error) !== 409) throw error;
  }
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: tokenLifetimeSeconds } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  return writeKubeconfig(join(dir, `sa-${namespace}-${name}.kubeconfig`), {
    server: cluster.server,
    certificateAuthorityData: cluster.caData ?? (cluster.caFile ? await base64Of(cluster.caFile) : ''),
    userName: `system:serviceaccount:${namespace}:${name}`,
    credentials: { token },
    namespace,
  });
}
