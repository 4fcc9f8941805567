import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import type { KubeTestClient } from './kube-test-client.ts';
import { GATEWAY_LABEL } from './operator-harness.ts';

export function exposedApiObject(
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
  version = 'v1',
): KubeRawObject {
  return {
    apiVersion: `oda.tmforum.org/${version}`,
    kind: 'ExposedAPI',
    metadata: { name, namespace, labels: { 'oda.tmforum.org/componentName': 'r1-test' } },
    spec: {
      name,
      apiType: 'openapi',
      specification: { url: `https://example.org/${name}.json`, version: '4.0.0' },
      implementation: `${name}-svc`,
      path: `/r1-test/tmf-api/${name}/v4`,
      port: 8080,
      ...spec,
    },
  };
}

/** A ClusterIP Service with an EndpointSlice whose single endpoint is ready or not. */
export async function implementation(
  k: KubeTestClient,
  namespace: string,
  name: string,
  ready: boolean,
): Promise<void> {
  await k.apply('Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
  });
  await setReady(k, namespace, name, ready);
}

export async function setReady(k: KubeTestClient, namespace: string, service: string, ready: boolean): Promise<void> {
  await k.apply('EndpointSlice', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-slice`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready } }],
    ports: [{ name: 'http', port: 8080 }],
  });
}

/** The test's ingress gateway Service, optionally with a load-balancer address. */
export async function gateway(
  k: KubeTestClient,
  namespace: string,
  address?: { ip?: string; hostname?: string },
  port = 80,
): Promise<void> {
  await k.apply('Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingressgateway', namespace, labels: { [GATEWAY_LABEL]: namespace } },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'gw' },
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port },
      ],
    },
  });
  if (address)
    await k.patch(
      'Service',
      namespace,
      'ingressgateway',
      { status: { loadBalancer: { ingress: [address] } } },
      'status',
    );
}

interface ApiStatus {
  apiStatus?: Record<string, unknown>;
  implementation?: { ready?: boolean };
  conditions?: { type: string; status: string; reason: string; message: string; observedGeneration?: number }[];
  observedGeneration?: number;
}

export function statusOf(object: KubeRawObject | undefined): ApiStatus {
  return object?.status ?? {};
}

export function readyReason(object: KubeRawObject | undefined): string | undefined {
  return statusOf(object).conditions?.find((c) => c.type === 'Ready')?.reason;
}
