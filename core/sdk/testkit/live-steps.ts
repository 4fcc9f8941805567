import { jsonContains } from '../../model/json-equal.ts';
import { normalizeApi } from '../../model/normalize.ts';
import { DRIVER_LABEL } from '../../translate/ownership.ts';
import type { ActiveDriver } from '../../translate/active-driver.ts';
import { ownerReferenceTo, translateApi } from '../../translate/translate-api.ts';
import type { Translation } from '../../translate/translate-api.ts';
import type { AddressSource, ObservedObject, PublishedAddress } from '../driver.ts';
import type { JsonObject, JsonValue } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { KindRef, KubeObject } from '../kube-object.ts';
import { kindKey } from '../kube-object.ts';
import { isNotFound } from '../../kube/kube-api-error.ts';
import { ENDPOINT_SLICE, SERVICE } from './live-client.ts';
import type { LiveClient } from './live-client.ts';

/** An ExposedAPI of the kit in `namespace`, served by the kit's Service `kit-svc`. */
export function kitApi(namespace: string, name: string, spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: { name, namespace, labels: { 'oda.tmforum.org/componentName': 'r1-kit' } },
    spec: {
      name,
      apiType: 'openapi',
      specification: { url: `https://example.org/${name}.json`, version: '1.0.0' },
      implementation: 'kit-svc',
      path: `/r1-kit/tmf-api/${name}/v1`,
      port: 8080,
      ...spec,
    },
  };
}

/** The Service implementing every kit API, with one ready endpoint. */
export async function kitImplementation(client: LiveClient, namespace: string): Promise<void> {
  await client.apply(SERVICE, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kit-svc', namespace },
    spec: { selector: { app: 'kit-svc' }, ports: [{ name: 'http', port: 8080 }] },
  });
  await client.apply(ENDPOINT_SLICE, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kit-svc-slice', namespace, labels: { 'kubernetes.io/service-name': 'kit-svc' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080 }],
  });
}

/** What the operator should create for an API object (live: with its uid as owner). */
export function desiredFor(active: ActiveDriver, api: JsonObject, availableKinds: ReadonlySet<string>): Translation {
  const result = normalizeApi(api);
  if (!result.ok) throw new Error(`conformance kit: its own API object is invalid: ${JSON.stringify(result.problems)}`);
  const owner = ownerReferenceTo(result.api);
  return translateApi(active, result.api, { availableKinds }, owner);
}

/** The owned kind of an output, for the client. */
export function kindOf(active: ActiveDriver, object: Pick<KubeObject, 'apiVersion' | 'kind'>): KindRef {
  const kind = active.driver.ownedKinds.find((k) => kindKey(k) === kindKey(object));
  if (kind === undefined) throw new Error(`${kindKey(object)} is not an owned kind of ${active.driver.id}`);
  return kind;
}

/** Whether a live object holds everything the desired one says (as the operator judges drift). */
export function holds(live: JsonObject | undefined, want: KubeObject): boolean {
  if (live === undefined || !isJsonObject(live.metadata)) return false;
  const meta = live.metadata;
  return (
    jsonContains(live.spec ?? {}, want.spec ?? {}) &&
    jsonContains(meta.labels ?? {}, want.metadata.labels ?? {}) &&
    jsonContains(meta.annotations ?? {}, want.metadata.annotations ?? {}) &&
    (want.metadata.ownerReferences ?? []).every(
      (w) => Array.isArray(meta.ownerReferences) && meta.ownerReferences.some((r) => jsonContains(r, w)),
    )
  );
}

export function observed(live: JsonObject): ObservedObject {
  const meta = isJsonObject(live.metadata) ? live.metadata : {};
  return {
    apiVersion: typeof live.apiVersion === 'string' ? live.apiVersion : '',
    kind: typeof live.kind === 'string' ? live.kind : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    name: typeof meta.name === 'string' ? meta.name : '',
    spec: isJsonObject(live.spec) ? live.spec : {},
    status: isJsonObject(live.status) ? live.status : {},
    ...(typeof meta.generation === 'number' ? { generation: meta.generation } : {}),
  };
}

/**
 * A hand edit of an output: the first path-like string of its spec (`/...`) changed, else the
 * driver label overwritten. Returns the merge patch.
 */
export function tamper(live: JsonObject, want: KubeObject): JsonObject {
  const spec = structuredClone(isJsonObject(live.spec) ? live.spec : {}) as Record<string, JsonValue>;
  const path = pathLike(want.spec ?? {}, []);
  if (path !== undefined && setAt(spec, path)) return { spec };
  return { metadata: { labels: { [DRIVER_LABEL]: 'kit-tampered' } } };
}

function pathLike(value: JsonValue, at: (string | number)[]): (string | number)[] | undefined {
  if (typeof value === 'string') return value.startsWith('/') ? at : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of (value as readonly JsonValue[]).entries()) {
      const found = pathLike(item, [...at, i]);
      if (found) return found;
    }
  } else if (isJsonObject(value)) {
    for (const [k, item] of Object.entries(value)) {
      const found = pathLike(item, [...at, k]);
      if (found) return found;
    }
  }
  return undefined;
}

function setAt(root: Record<string, JsonValue>, path: readonly (string | number)[]): boolean {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[key];
  const last = path.at(-1);
  const parent = node as Record<string | number, unknown> | undefined;
  if (last === undefined || parent === undefined || typeof parent[last] !== 'string') return false;
  parent[last] = `/kit-tampered${parent[last]}`;
  return true;
}

const hostField = (host: string): JsonObject => (/^[\d.:]+$/.test(host) ? { ip: host } : { hostname: host });

/** Publishes an address the way the cluster would for the two address sources the kit can play. */
export async function publishDefault(
  client: LiveClient,
  namespace: string,
  source: AddressSource,
  address: PublishedAddress,
  route: ObservedObject,
): Promise<void> {
  const status = { status: { loadBalancer: { ingress: [hostField(address.host)] } } };
  if (source.type === 'service') {
    const ns = source.namespace ?? namespace;
    await client.apply(SERVICE, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kit-gateway', namespace: ns, labels: { ...source.selector } },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'kit-gateway' },
        ports: [{ name: 'http2', port: address.port ?? 80 }],
      },
    });
    await client.patch(SERVICE, ns, 'kit-gateway', status, 'status');
    return;
  }
  if (source.type === 'route-status') {
    try {
      await client.patch(source.kind, route.namespace, route.name, status, 'status');
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await client.patch(source.kind, route.namespace, route.name, status);
    }
    return;
  }
  throw new Error(
    `the ${route.kind} address comes from ${source.kind.kind} ${source.namespace}/${source.name}: ` +
      'pass hooks.publishAddress to make it publish an address',
  );
}
