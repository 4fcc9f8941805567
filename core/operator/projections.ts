import type { KubeRawObject } from '../kube/raw-object.ts';
import type { ObservedObject } from '../sdk/driver.ts';
import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import { SOURCE_ANNOTATION } from '../translate/ownership.ts';
import type { CachedApi, CachedComponent, ComponentEntry, OwnedObject } from '../reconcile/ports.ts';

/** What the caches keep of each kind: the fields reconciles read, nothing else (memory at scale). */

export function apiKeyOf(raw: KubeRawObject): string {
  const kind = raw.kind === 'api' ? 'API' : (raw.kind ?? 'ExposedAPI');
  return `${kind}/${raw.metadata.namespace ?? ''}/${raw.metadata.name}`;
}

export function projectApi(raw: KubeRawObject): CachedApi {
  const { managedFields: _managed, ...metadata } = raw.metadata;
  const annotations = metadata.annotations;
  if (annotations?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _last, ...rest } = annotations;
    metadata.annotations = rest;
  }
  const json = { ...raw, metadata } as unknown as JsonObject;
  const status = isJsonObject(json.status) ? json.status : undefined;
  return {
    key: apiKeyOf(raw),
    raw: json,
    apiVersion: raw.apiVersion ?? '',
    resourceVersion: raw.metadata.resourceVersion ?? '',
    uid: raw.metadata.uid ?? '',
    deleting: raw.metadata.deletionTimestamp !== undefined,
    ...(raw.metadata.generation === undefined ? {} : { generation: raw.metadata.generation }),
    ...(status === undefined ? {} : { status }),
  };
}

export function projectOwned(raw: KubeRawObject): OwnedObject {
  const status = isJsonObject(raw.status) ? raw.status : {};
  const lb =
    isJsonObject(status.loadBalancer) && Array.isArray(status.loadBalancer.ingress) ? status.loadBalancer.ingress : [];
  const source = raw.metadata.annotations?.[SOURCE_ANNOTATION];
  return {
    apiVersion: raw.apiVersion ?? '',
    kind: raw.kind ?? '',
    namespace: raw.metadata.namespace ?? '',
    name: raw.metadata.name,
    uid: raw.metadata.uid ?? '',
    resourceVersion: raw.metadata.resourceVersion ?? '',
    labels: raw.metadata.labels ?? {},
    annotations: raw.metadata.annotations ?? {},
    ownerReferences: (raw.metadata.ownerReferences ?? []) as unknown as JsonValue,
    spec: isJsonObject(raw.spec) ? raw.spec : {},
    ...(raw.metadata.generation === undefined ? {} : { generation: raw.metadata.generation }),
    ...(Object.keys(status).length === 0 ? {} : { status }),
    loadBalancer: lb.filter(isJsonObject).map((i) => ({
      ...(typeof i.ip === 'string' ? { ip: i.ip } : {}),
      ...(typeof i.hostname === 'string' ? { hostname: i.hostname } : {}),
    })),
    ...(source === undefined ? {} : { source }),
  };
}

/** An object a driver reads (the address object of `AddressSource` type `object`). */
export function projectObserved(raw: KubeRawObject): ObservedObject {
  return {
    apiVersion: raw.apiVersion ?? '',
    kind: raw.kind ?? '',
    namespace: raw.metadata.namespace ?? '',
    name: raw.metadata.name,
    spec: isJsonObject(raw.spec) ? raw.spec : {},
    status: isJsonObject(raw.status) ? raw.status : {},
    ...(raw.metadata.generation === undefined ? {} : { generation: raw.metadata.generation }),
  };
}

export interface GatewayService {
  readonly namespace: string;
  readonly name: string;
  readonly ingress: readonly { readonly ip?: string; readonly hostname?: string }[];
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
}

export function projectService(raw: KubeRawObject): GatewayService {
  const owned = projectOwned(raw);
  const spec = isJsonObject(raw.spec) ? raw.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : [];
  return {
    namespace: owned.namespace,
    name: owned.name,
    ingress: owned.loadBalancer,
    ports: ports
      .filter((p) => typeof p.port === 'number')
      .map((p) => ({ port: p.port as number, ...(typeof p.name === 'string' ? { name: p.name } : {}) })),
  };
}

export interface SliceReadiness {
  readonly namespace: string;
  readonly service: string;
  readonly ready: boolean;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** An EndpointSlice counts as ready when one endpoint is not explicitly unready (nil means ready). */
export function projectSlice(raw: KubeRawObject): SliceReadiness {
  const endpoints = Array.isArray(raw.endpoints) ? (raw.endpoints as unknown[]) : [];
  const ready = endpoints.some((e) => isJsonObject(e) && !(isJsonObject(e.conditions) && e.conditions.ready === false));
  return { namespace: raw.metadata.namespace ?? '', service: raw.metadata.labels?.[SERVICE_NAME_LABEL] ?? '', ready };
}

const LISTS = ['coreAPIs', 'managementAPIs', 'securityAPIs'] as const;

export function projectComponent(raw: KubeRawObject): CachedComponent {
  const status = isJsonObject(raw.status) ? raw.status : {};
  const entries: ComponentEntry[] = [];
  for (const list of LISTS) {
    const items = status[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (!isJsonObject(item)) return;
      entries.push({
        list,
        index,
        ...(typeof item.uid === 'string' ? { uid: item.uid } : {}),
        ...(typeof item.url === 'string' ? { url: item.url } : {}),
        ...(typeof item.developerUI === 'string' ? { developerUI: item.developerUI } : {}),
        ...(typeof item.ready === 'boolean' ? { ready: item.ready } : {}),
      });
    });
  }
  return { namespace: raw.metadata.namespace ?? '', name: raw.metadata.name, uid: raw.metadata.uid ?? '', entries };
}
