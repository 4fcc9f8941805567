import type { KubeClient } from '../core/kube/kube-client.ts';
import { createObject, mergePatch } from '../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../core/kube/raw-object.ts';
import type { ResourceType } from '../core/kube/resource-type.ts';
import type { BenchDriver } from './options.ts';
import { forEachParallel } from './pool.ts';

/** The objects of one benchmark run: who they are and how they are made. */

const rt = (group: string, version: string, plural: string, kind: string): ResourceType => ({
  group,
  version,
  plural,
  kind,
  namespaced: true,
});

export const types = {
  namespace: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  service: rt('', 'v1', 'services', 'Service'),
  endpointSlice: rt('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  exposedApi: rt('oda.tmforum.org', 'v1', 'exposedapis', 'ExposedAPI'),
  virtualService: rt('networking.istio.io', 'v1', 'virtualservices', 'VirtualService'),
  ingress: rt('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
} as const satisfies Record<string, ResourceType>;

export function routeType(driver: BenchDriver): ResourceType {
  return driver === 'istio' ? types.virtualService : types.ingress;
}

/** Label on everything a run creates (and, copied by the operator, on its routes). */
export const RUN_LABEL = 'oda-bench/run';
/** Label selecting the run's gateway Service (passed to the operator as its gateway selector). */
export const GATEWAY_LABEL = 'oda-bench/gateway';

/** Names of one run's namespaces. */
export interface RunNames {
  readonly runId: string;
  /** The N resident APIs (cold start, update storm, steady state). */
  readonly apis: string;
  /** The APIs created one at a time (event latency). */
  readonly events: string;
  /** The gateway Service. */
  readonly gateway: string;
  /** The floor's own N APIs (written by the plain client while the operator is stopped). */
  readonly floor: string;
  /** What the operator watches. */
  readonly operatorNamespaces: string;
}

export function runNames(runId: string): RunNames {
  return {
    runId,
    apis: `bench-${runId}-apis`,
    events: `bench-${runId}-events`,
    gateway: `bench-${runId}-gw`,
    floor: `floor-${runId}`,
    operatorNamespaces: `bench-${runId}-*`,
  };
}

/** One API of the workload and the names of what it needs. */
export interface ApiSpecRef {
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  readonly index: number;
}

export function apiRefs(namespace: string, prefix: string, count: number): ApiSpecRef[] {
  return Array.from({ length: count }, (_, index) => ({
    namespace,
    name: `${prefix}-${index}`,
    service: `${prefix}-${index}-svc`,
    index,
  }));
}

export const keyOf = (ref: { readonly namespace: string; readonly name: string }): string =>
  `${ref.namespace}/${ref.name}`;

export function exposedApi(ref: ApiSpecRef, runId: string): KubeRawObject {
  const component = `${ref.name}-comp`;
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { 'oda.tmforum.org/componentName': component, [RUN_LABEL]: runId },
    },
    spec: {
      name: 'productcatalogmanagement',
      apiType: 'openapi',
      segment: 'coreFunction',
      specification: {
        url: 'https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json',
        version: 'v4.0.0',
      },
      implementation: ref.service,
      path: `/${component}/tmf-api/productCatalogManagement/v4`,
      developerUI: `/${component}/tmf-api/productCatalogManagement/v4/docs`,
      port: 8080,
    },
  };
}

/** A headless Service: the operator never reads it, and headless needs no cluster IP allocation. */
function service(ref: ApiSpecRef, runId: string): KubeRawObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ref.service, namespace: ref.namespace, labels: { [RUN_LABEL]: runId } },
    spec: { clusterIP: 'None', selector: { app: ref.service }, ports: [{ name: 'http', port: 8080 }] },
  };
}

/** The Service's EndpointSlice with one ready endpoint. */
function endpointSlice(ref: ApiSpecRef, runId: string): KubeRawObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${ref.service}-1`,
      namespace: ref.namespace,
      labels: { 'kubernetes.io/service-name': ref.service, [RUN_LABEL]: runId },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: [`10.1.${Math.floor(ref.index / 250) % 250}.${(ref.index % 250) + 1}`],
        conditions: { ready: true },
      },
    ],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

export async function createNamespace(client: KubeClient, name: string, runId: string): Promise<void> {
  await createObject(client, types.namespace, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [RUN_LABEL]: runId } },
  });
}

/** The Services and EndpointSlices of `refs`, created in parallel. */
export async function createImplementations(
  client: KubeClient,
  refs: readonly ApiSpecRef[],
  runId: string,
  parallelism: number,
): Promise<void> {
  await forEachParallel(refs, parallelism, async (ref) => {
    await createObject(client, types.service, service(ref, runId));
    await createObject(client, types.endpointSlice, endpointSlice(ref, runId));
  });
}

export async function createApis(
  client: KubeClient,
  refs: readonly ApiSpecRef[],
  runId: string,
  parallelism: number,
): Promise<void> {
  await forEachParallel(refs, parallelism, async (ref) => {
    await createObject(client, types.exposedApi, exposedApi(ref, runId));
  });
}

/** The ingress gateway Service the operator publishes the address of (Istio driver). */
export async function createGateway(client: KubeClient, names: RunNames, address: string): Promise<void> {
  await createObject(client, types.service, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'ingressgateway',
      namespace: names.gateway,
      labels: { [GATEWAY_LABEL]: names.runId, istio: 'ingressgateway', [RUN_LABEL]: names.runId },
    },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'istio-ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port: 80 },
        { name: 'https', port: 443 },
      ],
    },
  });
  await setGatewayAddress(client, names, address);
}

/** What a cloud provider does: publishes the gateway's load-balancer address (status subresource). */
export async function setGatewayAddress(client: KubeClient, names: RunNames, address: string): Promise<void> {
  await mergePatch(
    client,
    types.service,
    names.gateway,
    'ingressgateway',
    { status: { loadBalancer: { ingress: [{ ip: address }] } } },
    'status',
  );
}

/** What an ingress controller does (simple-ingress driver): publishes each Ingress's address. */
export async function setIngressAddresses(
  client: KubeClient,
  refs: readonly ApiSpecRef[],
  address: string,
  parallelism: number,
): Promise<void> {
  await forEachParallel(refs, parallelism, async (ref) => {
    await mergePatch(
      client,
      types.ingress,
      ref.namespace,
      ref.name,
      { status: { loadBalancer: { ingress: [{ ip: address }] } } },
      'status',
    );
  });
}
