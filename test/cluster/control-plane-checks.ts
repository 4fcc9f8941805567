/** Readiness checks and credentials of the local control plane (see local-control-plane.ts). */

import { readFile } from 'node:fs/promises';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { getFromApiServer, type ClientTls } from './api-server-probe.ts';
import { base64Of, type Pki } from './certificates.ts';
import type { ControlPlaneLayout } from './control-plane-flags.ts';
import { writeKubeconfig } from './kubeconfig-file.ts';
import { logTail, type StartedProcess } from './supervised-process.ts';
import { StopWaiting, waitFor } from './wait-for.ts';

const readyTimeoutMs = 60_000;

/** Waits for the API server's /readyz; fails at once (with its log) if a process exits. */
export async function waitForApiServer(
  server: string,
  tls: ClientTls,
  started: readonly StartedProcess[],
): Promise<void> {
  await waitFor(() => probeReady(server, tls, started), { description: `${server}/readyz`, timeoutMs: readyTimeoutMs });
}

async function probeReady(
  server: string,
  tls: ClientTls,
  started: readonly StartedProcess[],
): Promise<true | undefined> {
  await failIfAnyExited(started);
  const response = await getFromApiServer(server, '/readyz', tls);
  if (response.status === 200) return true;
  throw new Error(`/readyz answered ${response.status}: ${response.body.slice(-300)}`);
}

/** The controller manager is up once its ServiceAccount controller created `default/default`. */
export async function waitForControllers(kc: KubeConfig, started: readonly StartedProcess[]): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await waitFor(
    async () => {
      await failIfAnyExited(started);
      await core.readNamespacedServiceAccount({ namespace: 'default', name: 'default' });
      return true;
    },
    { description: 'kube-controller-manager to create the default ServiceAccount', timeoutMs: readyTimeoutMs },
  );
}

async function failIfAnyExited(started: readonly StartedProcess[]): Promise<void> {
  const dead = started.find((child) => child.hasExited());
  if (dead === undefined) return;
  const how = await dead.exited;
  throw new StopWaiting(
    `${dead.record.name} stopped (${how}); last lines of ${dead.record.logFile}:\n${await logTail(dead.record)}`,
  );
}

export async function clientTls(pki: Pki): Promise<ClientTls> {
  const [ca, cert, key] = await Promise.all(
    [pki.caCert, pki.adminCert, pki.adminKey].map((file) => readFile(file, 'utf8')),
  );
  return { ca: ca ?? '', cert: cert ?? '', key: key ?? '' };
}

export async function writeKubeconfigs(layout: ControlPlaneLayout, server: string, adminPath: string): Promise<void> {
  const { pki } = layout;
  const certificateAuthorityData = await base64Of(pki.caCert);
  const user = async (cert: string, key: string) => ({
    clientCertificateData: await base64Of(cert),
    clientKeyData: await base64Of(key),
  });
  await writeKubeconfig(adminPath, {
    server,
    certificateAuthorityData,
    userName: 'oda-test-admin',
    credentials: await user(pki.adminCert, pki.adminKey),
  });
  await writeKubeconfig(layout.controllerManagerKubeconfig, {
    server,
    certificateAuthorityData,
    userName: 'system:kube-controller-manager',
    credentials: await user(pki.controllerManagerCert, pki.controllerManagerKey),
  });
}
