import { join } from 'node:path';
import type { Pki } from './certificates.ts';

/** Where and how the three processes of the local control plane listen (loopback only). */
export interface ControlPlaneLayout {
  readonly binDir: string;
  readonly dataDir: string;
  readonly etcdPort: number;
  readonly etcdPeerPort: number;
  readonly apiServerPort: number;
  readonly pki: Pki;
  readonly controllerManagerKubeconfig: string;
}

/** Service range: a /16 so that tests creating many Services never exhaust it. */
export const serviceRange = { cidr: '10.96.0.0/16', kubernetesServiceIp: '10.96.0.1' };

export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

/**
 * Controllers the tests need: garbage collection of owned objects, namespace deletion, the
 * `default` ServiceAccount of each namespace and the aggregated admin/edit/view roles. The rest
 * (Deployments, EndpointSlices, nodes, ...) stays off: no kubelets here, and a test writes the
 * EndpointSlices it wants by hand without a controller rewriting them.
 */
export const enabledControllers = [
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'clusterrole-aggregation-controller',
];

export function etcdArgs(layout: ControlPlaneLayout): string[] {
  const client = `http://127.0.0.1:${layout.etcdPort}`;
  const peer = `http://127.0.0.1:${layout.etcdPeerPort}`;
  return [
    '--name=oda-test',
    `--data-dir=${join(layout.dataDir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=oda-test=${peer}`,
    '--unsafe-no-fsync', // a throw-away store: durability is not worth the fsync latency
    '--log-level=warn',
  ];
}

export function apiServerArgs(layout: ControlPlaneLayout): string[] {
  const { pki } = layout;
  return [
    `--etcd-servers=http://127.0.0.1:${layout.etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${layout.apiServerPort}`,
    `--cert-dir=${join(layout.dataDir, 'pki')}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--authorization-mode=Node,RBAC',
    `--service-account-issuer=${serviceAccountIssuer}`,
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${serviceRange.cidr}`,
    '--endpoint-reconciler-type=none', // 127.0.0.1 cannot be the `kubernetes` Service's endpoint
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ];
}

export function controllerManagerArgs(layout: ControlPlaneLayout): string[] {
  return [
    `--kubeconfig=${layout.controllerManagerKubeconfig}`,
    '--leader-elect=false',
    // Each controller runs as its own ServiceAccount (tokens from the TokenRequest API), so it
    // has exactly the bootstrap RBAC it has in a real cluster.
    '--use-service-account-credentials=true',
    `--controllers=${enabledControllers.join(',')}`,
    `--root-ca-file=${layout.pki.caCert}`,
    '--secure-port=0', // nothing to serve: no port to allocate
  ];
}
