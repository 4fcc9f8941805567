import type { JsonObject, JsonValue } from '../../core/sdk/json.ts';
import { isJsonObject } from '../../core/sdk/json.ts';
import type { KubeObject, OwnedKind } from '../../core/sdk/kube-object.ts';
import { statusMemo } from '../../core/status/api-status.ts';
import type { GatewayAddress } from '../../core/status/gateway-address.ts';
import type {
  CachedApi,
  CachedComponent,
  ClusterState,
  ClusterWriter,
  EventInput,
  OwnedObject,
} from '../../core/reconcile/ports.ts';
import { SOURCE_ANNOTATION } from '../../core/translate/ownership.ts';

/** An in-memory cluster for reconciler tests: caches that writes update at once, and a write log. */
export class FakeCluster implements ClusterState, ClusterWriter {
  readonly apis = new Map<string, CachedApi>();
  /** Each API's status as the server would hold it (the cache keeps only its memo). */
  readonly statuses = new Map<string, JsonObject>();
  readonly owned = new Map<string, OwnedObject>();
  readonly ready = new Set<string>();
  readonly components = new Map<string, CachedComponent>();
  readonly writes: string[] = [];
  readonly events: EventInput[] = [];
  address: GatewayAddress | undefined = { host: '10.1.2.3' };
  kinds = new Set<string>(['monitoring.coreos.com/v1/ServiceMonitor']);
  subresource = true;
  failApply: ((o: KubeObject) => Error | undefined) | undefined;
  #uid = 0;

  putApi(raw: JsonObject & { metadata: JsonObject }): CachedApi {
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const meta = raw.metadata;
    const key = `${text(raw.kind)}/${text(meta.namespace)}/${text(meta.name)}`;
    const previous = this.apis.get(key);
    const cached: CachedApi = {
      key,
      raw,
      apiVersion: text(raw.apiVersion),
      resourceVersion: String(++this.#uid),
      uid: previous?.uid ?? `uid-${key}`,
      generation: (previous?.generation ?? 0) + 1,
      deleting: false,
      ...(previous?.status === undefined ? {} : { status: previous.status }),
    };
    this.apis.set(key, cached);
    return cached;
  }

  api(key: string): CachedApi | undefined {
    return this.apis.get(key);
  }

  ownedBy(key: string): readonly OwnedObject[] {
    return [...this.owned.values()].filter((o) => o.source === key);
  }

  ownedObject(kind: OwnedKind, namespace: string, name: string): OwnedObject | undefined {
    return this.owned.get(`${kind.apiVersion}/${kind.kind}/${namespace}/${name}`);
  }

  implementationReady(namespace: string, service: string): boolean {
    return this.ready.has(`${namespace}/${service}`);
  }

  gatewayAddress(): GatewayAddress | undefined {
    return this.address;
  }

  component(namespace: string, name: string): CachedComponent | undefined {
    return this.components.get(`${namespace}/${name}`);
  }

  availableKinds(): ReadonlySet<string> {
    return this.kinds;
  }

  statusSubresource(): boolean {
    return this.subresource;
  }

  componentStatusSubresource(): boolean {
    return true;
  }

  apply(object: KubeObject, force: boolean): Promise<OwnedObject> {
    const failure = this.failApply?.(object);
    if (failure) return Promise.reject(failure);
    const id = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    this.writes.push(`apply${force ? '!' : ''} ${object.kind} ${object.metadata.name}`);
    const live: OwnedObject = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name,
      uid: this.owned.get(id)?.uid ?? `uid-${++this.#uid}`,
      resourceVersion: String(++this.#uid),
      labels: object.metadata.labels ?? {},
      annotations: object.metadata.annotations ?? {},
      ownerReferences: (object.metadata.ownerReferences ?? []) as unknown as OwnedObject['ownerReferences'],
      spec: object.spec ?? {},
      loadBalancer: [],
      ...(object.metadata.annotations?.[SOURCE_ANNOTATION] === undefined
        ? {}
        : { source: object.metadata.annotations[SOURCE_ANNOTATION] }),
    };
    this.owned.set(id, live);
    return Promise.resolve(live);
  }

  delete(object: OwnedObject): Promise<void> {
    this.writes.push(`delete ${object.kind} ${object.name}`);
    this.owned.delete(`${object.apiVersion}/${object.kind}/${object.namespace}/${object.name}`);
    return Promise.resolve();
  }

  patchApiStatus(api: CachedApi, patch: JsonObject): Promise<void> {
    this.writes.push(`status ${api.key}`);
    const status = mergePatch(this.statuses.get(api.key) ?? {}, patch);
    this.statuses.set(api.key, status);
    this.apis.set(api.key, { ...api, status: statusMemo(status) });
    return Promise.resolve();
  }

  patchComponentStatus(component: CachedComponent, ops: readonly JsonObject[]): Promise<void> {
    this.writes.push(`component ${component.name} ${JSON.stringify(ops)}`);
    return Promise.resolve();
  }

  event(_api: CachedApi, event: EventInput): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out = new Map<string, JsonValue>(Object.entries(target));
  for (const [k, v] of Object.entries(patch)) {
    const current = out.get(k);
    if (v === null) out.delete(k);
    else if (isJsonObject(v) && isJsonObject(current)) out.set(k, mergePatch(current, v));
    else out.set(k, v);
  }
  return Object.fromEntries(out);
}
