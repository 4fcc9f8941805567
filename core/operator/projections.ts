import type { KubeRawObject } from '../kube/raw-object.ts';
import type { ObservedObject } from '../sdk/driver.ts';
import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import { SOURCE_ANNOTATION } from '../translate/ownership.ts';
import { statusMemo, type StatusMemo } from '../status/api-status.ts';
import type { CachedApi, CachedComponent, ComponentEntry, OwnedObject } from '../reconcile/ports.ts';

/** What the caches keep of each kind: the fields reconciles read, nothing else (memory at scale). */

export function apiKeyOf(raw: KubeRawObject): string {
  const kind = raw.kind === 'api' ? 'API' : (raw.kind ?? 'ExposedAPI');
  // Flat, like `apiKey` (the cache keeps one per API).
  return [kind, raw.metadata.namespace ?? '', raw.metadata.name].join('/');
}

/**
 * Strings repeated across thousands of cached objects (namespaces, API versions, kinds) are kept
 * once. Bounded: past the limit a string is returned as it is, uncached.
 */
const pool = new Map<string, string>();
const POOL_LIMIT = 10_000;

export function intern(value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  if (pool.size < POOL_LIMIT) pool.set(value, value);
  return value;
}

/**
 * The cached objects keep what reconciles read as one compact JSON text, parsed on each read:
 * a text takes about half the memory of the objects it encodes, and a reconcile reads it a few
 * times (the object last unpacked is remembered, so those reads parse once).
 */
let lastOwner: object | undefined;
let lastValue: unknown;

function unpack<T>(owner: object, read: () => T): T {
  if (owner !== lastOwner) {
    lastValue = read();
    lastOwner = owner;
  }
  return lastValue as T;
}

const NO_ADDRESSES: OwnedObject['loadBalancer'] = Object.freeze([]);

class PackedApi implements CachedApi {
  readonly key: string;
  readonly apiVersion: string;
  readonly resourceVersion: string;
  readonly uid: string;
  readonly generation?: number;
  readonly deleting: boolean;
  readonly status: StatusMemo | undefined;
  /** The rest of the object: what is kept apart above (and the names, in `key`) is not repeated. */
  readonly #rest: string;

  constructor(raw: KubeRawObject) {
    const {
      managedFields: _managed,
      name: _name,
      namespace: _namespace,
      uid: _uid,
      resourceVersion: _rv,
      generation: _generation,
      ...metadata
    } = raw.metadata;
    const annotations = metadata.annotations;
    if (annotations?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
      const { 'kubectl.kubernetes.io/last-applied-configuration': _last, ...rest } = annotations;
      metadata.annotations = rest;
    }
    const { status, apiVersion: _apiVersion, ...rest } = raw as KubeRawObject & { status?: unknown };
    this.key = apiKeyOf(raw);
    this.apiVersion = intern(raw.apiVersion ?? '');
    this.resourceVersion = raw.metadata.resourceVersion ?? '';
    this.uid = raw.metadata.uid ?? '';
    if (raw.metadata.generation !== undefined) this.generation = raw.metadata.generation;
    this.deleting = raw.metadata.deletionTimestamp !== undefined;
    this.#rest = JSON.stringify({ ...rest, metadata });
    this.status = compactMemo(statusMemo(isJsonObject(status) ? status : undefined));
  }

  /** The object without `status`, `managedFields` and kubectl's last-applied annotation. */
  get raw(): JsonObject {
    return unpack(this, () => {
      const { metadata, ...rest } = JSON.parse(this.#rest) as JsonObject & { metadata: JsonObject };
      const [, namespace = '', name = ''] = this.key.split('/');
      return {
        ...(this.apiVersion === '' ? {} : { apiVersion: this.apiVersion }),
        ...rest,
        metadata: {
          name,
          ...(namespace === '' ? {} : { namespace }),
          ...(this.uid === '' ? {} : { uid: this.uid }),
          ...(this.resourceVersion === '' ? {} : { resourceVersion: this.resourceVersion }),
          ...(this.generation === undefined ? {} : { generation: this.generation }),
          ...metadata,
        },
      };
    });
  }
}

function compactMemo(memo: StatusMemo | undefined): StatusMemo | undefined {
  return (
    memo && {
      ...memo,
      apiStatusKeys: intern(memo.apiStatusKeys),
      transitions: memo.transitions.map((t) => ({ ...t, type: intern(t.type) })),
    }
  );
}

export function projectApi(raw: KubeRawObject): CachedApi {
  return new PackedApi(raw);
}

interface OwnedBody {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ownerReferences: JsonValue;
  readonly spec: JsonValue;
  readonly status?: JsonObject;
}

class PackedOwned implements OwnedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly source?: string;
  readonly generation?: number;
  readonly loadBalancer: OwnedObject['loadBalancer'];
  verifiedDigest?: string;
  #body: string | undefined;

  constructor(raw: KubeRawObject) {
    const status = isJsonObject(raw.status) ? raw.status : {};
    const lb =
      isJsonObject(status.loadBalancer) && Array.isArray(status.loadBalancer.ingress)
        ? status.loadBalancer.ingress
        : [];
    const source = raw.metadata.annotations?.[SOURCE_ANNOTATION];
    this.apiVersion = intern(raw.apiVersion ?? '');
    this.kind = intern(raw.kind ?? '');
    this.namespace = intern(raw.metadata.namespace ?? '');
    this.name = raw.metadata.name;
    this.uid = raw.metadata.uid ?? '';
    this.resourceVersion = raw.metadata.resourceVersion ?? '';
    if (source !== undefined) this.source = source;
    if (raw.metadata.generation !== undefined) this.generation = raw.metadata.generation;
    this.loadBalancer =
      lb.length === 0
        ? NO_ADDRESSES
        : lb.filter(isJsonObject).map((i) => ({
            ...(typeof i.ip === 'string' ? { ip: i.ip } : {}),
            ...(typeof i.hostname === 'string' ? { hostname: i.hostname } : {}),
          }));
    const body: OwnedBody = {
      labels: raw.metadata.labels ?? {},
      annotations: raw.metadata.annotations ?? {},
      ownerReferences: (raw.metadata.ownerReferences ?? []) as unknown as JsonValue,
      spec: isJsonObject(raw.spec) ? raw.spec : {},
      ...(Object.keys(status).length === 0 ? {} : { status }),
    };
    this.#body = JSON.stringify(body);
  }

  get labels(): Readonly<Record<string, string>> {
    return this.#unpack().labels;
  }

  get annotations(): Readonly<Record<string, string>> {
    return this.#unpack().annotations;
  }

  get ownerReferences(): JsonValue {
    return this.#unpack().ownerReferences;
  }

  get spec(): JsonValue {
    return this.#unpack().spec;
  }

  get status(): JsonObject | undefined {
    return this.#unpack().status;
  }

  get contentForgotten(): boolean {
    return this.#body === undefined;
  }

  forgetContent(): void {
    this.#body = undefined;
  }

  #unpack(): OwnedBody {
    if (this.#body === undefined)
      throw new Error(
        `${this.kind} ${this.namespace}/${this.name}: its content was dropped from the cache once found in sync`,
      );
    const body = this.#body;
    return unpack(this, () => JSON.parse(body) as OwnedBody);
  }
}

export function projectOwned(raw: KubeRawObject): OwnedObject {
  return new PackedOwned(raw);
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
