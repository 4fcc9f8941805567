import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

/** How a kubeconfig user authenticates: an embedded client certificate or a bearer token. */
export type KubeconfigCredentials =
  { readonly clientCertificateData: string; readonly clientKeyData: string } | { readonly token: string };

export interface KubeconfigSpec {
  readonly server: string;
  /** Base64 PEM of the CA that signed the server's certificate. */
  readonly certificateAuthorityData: string;
  readonly userName: string;
  readonly credentials: KubeconfigCredentials;
  /** Default namespace of the context. */
  readonly namespace?: string;
}

/** A self-contained kubeconfig (everything embedded), one cluster, one user, one context. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const user =
    'token' in spec.credentials
      ? { token: spec.credentials.token }
      : {
          'client-certificate-data': spec.credentials.clientCertificateData,
          'client-key-data': spec.credentials.clientKeyData,
        };
  const context = {
    cluster: 'oda-test',
    user: spec.userName,
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
  };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'oda-test',
        cluster: { server: spec.server, 'certificate-authority-data': spec.certificateAuthorityData },
      },
    ],
    users: [{ name: spec.userName, user }],
    contexts: [{ name: spec.userName, context }],
    'current-context': spec.userName,
  });
}

/** Writes the kubeconfig readable by its owner only (it holds credentials). */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<string> {
  await writeFile(path, renderKubeconfig(spec), { mode: 0o600 });
  return path;
}
