/**
 * Where a kind lives in the Kubernetes REST API. Paths are built here and nowhere else, so the
 * core group (`/api/v1`) versus named groups (`/apis/<group>/<version>`) is decided once.
 */
export interface ResourceType {
  /** API group; `''` for the core group (Service, Namespace, ...). */
  readonly group: string;
  readonly version: string;
  /** Resource name in URLs and RBAC rules, e.g. `endpointslices`. */
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** `v1` for the core group, `<group>/<version>` otherwise. */
export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group === '' ? rt.version : `${rt.group}/${rt.version}`;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
}

/**
 * The collection URL of a kind: in one namespace when `namespace` is given (namespaced kinds
 * only), across all namespaces (or cluster-scoped) when it is undefined.
 */
export function collectionPath(rt: ResourceType, namespace?: string): string {
  const base = groupVersionPath(apiVersionOf(rt));
  if (namespace === undefined || !rt.namespaced) return `${base}/${rt.plural}`;
  return `${base}/namespaces/${segment(namespace)}/${rt.plural}`;
}

/**
 * The URL of one object, optionally of one of its subresources (`status`, `scale`, ...).
 * `namespace` is ignored for cluster-scoped kinds and required for namespaced ones.
 */
export function objectPath(
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): string {
  if (rt.namespaced && (namespace === undefined || namespace === '')) {
    throw new TypeError(`${rt.kind} ${name}: a namespaced kind needs a namespace`);
  }
  const path = `${collectionPath(rt, rt.namespaced ? namespace : undefined)}/${segment(name)}`;
  return subresource === undefined ? path : `${path}/${segment(subresource)}`;
}

/** `<plural>.<group>` (or just `<plural>` in the core group), as in RBAC and CRD names. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group === '' ? rt.plural : `${rt.plural}.${rt.group}`;
}

function segment(value: string): string {
  if (value === '' || value === '.' || value === '..')
    throw new TypeError(`invalid path segment ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}

export const serviceType: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'services',
  kind: 'Service',
  namespaced: true,
};

export const endpointSliceType: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

export const namespaceType: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};

/** Core v1 Events (what `kubectl describe` shows). */
export const eventType: ResourceType = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

export const leaseType: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};
