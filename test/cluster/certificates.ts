import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files of the throw-away PKI of one control plane (all PEM, all under one directory). */
export interface Pki {
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  /** Admin client: group system:masters. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** kube-controller-manager client: user system:kube-controller-manager (default RBAC binds it). */
  readonly controllerManagerCert: string;
  readonly controllerManagerKey: string;
  /** Service-account token signing key pair. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

/** Subject alternative names of the API server's serving certificate. */
const servingNames = [
  'IP:127.0.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
];

/**
 * Generates a CA, the API server's serving certificate and two client certificates with the
 * openssl CLI (P-256 keys, quick to make), and a service-account signing key with node:crypto.
 * `serviceIp` is the first address of the service range (the `kubernetes` Service's address).
 */
export async function generatePki(dir: string, serviceIp: string): Promise<Pki> {
  const file = (name: string): string => join(dir, name);
  const pki: Pki = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    servingCert: file('apiserver.crt'),
    servingKey: file('apiserver.key'),
    adminCert: file('admin.crt'),
    adminKey: file('admin.key'),
    controllerManagerCert: file('controller-manager.crt'),
    controllerManagerKey: file('controller-manager.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPublicKey: file('service-account.pub'),
  };
  await openssl([
    ...['req', '-x509', '-new', '-nodes', ...p256, '-days', '3650', '-subj', '/CN=oda-test-cluster-ca'],
    ...['-keyout', pki.caKey, '-out', pki.caCert],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  await Promise.all([
    leaf(pki, pki.servingCert, pki.servingKey, '/CN=kube-apiserver', [
      `subjectAltName=${[...servingNames, `IP:${serviceIp}`].join(',')}`,
      'extendedKeyUsage=serverAuth',
    ]),
    leaf(pki, pki.adminCert, pki.adminKey, '/O=system:masters/CN=oda-test-admin', ['extendedKeyUsage=clientAuth']),
    leaf(pki, pki.controllerManagerCert, pki.controllerManagerKey, '/CN=system:kube-controller-manager', [
      'extendedKeyUsage=clientAuth',
    ]),
    writeServiceAccountKeys(pki),
  ]);
  return pki;
}

/** PEM contents, base64-encoded, as a kubeconfig embeds them. */
export async function base64Of(path: string): Promise<string> {
  return (await readFile(path)).toString('base64');
}

const p256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function leaf(pki: Pki, cert: string, key: string, subject: string, extensions: readonly string[]): Promise<void> {
  return openssl([
    ...['req', '-x509', '-new', '-nodes', ...p256, '-days', '365', '-subj', subject],
    ...['-CA', pki.caCert, '-CAkey', pki.caKey, '-keyout', key, '-out', cert],
    ...['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'],
    ...extensions.flatMap((extension) => ['-addext', extension]),
  ]);
}

async function writeServiceAccountKeys(pki: Pki): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(pki.serviceAccountKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(pki.serviceAccountPublicKey, publicKey.export({ type: 'spki', format: 'pem' }));
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const hint =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' (install the openssl CLI, version 3 or newer)' : '';
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed${hint}: ${detail}`, { cause: error });
  }
}
