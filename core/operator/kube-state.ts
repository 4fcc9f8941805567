import type { Observable } from 'rxjs';
import { EMPTY, filter, map, merge, mergeMap } from 'rxjs';
import type { KubeClient } from '../kube/kube-client.ts';
import type { KubeLogger } from '../kube/kube-logger.ts';
import type { KubeRawObject } from '../kube/raw-object.ts';
import { Reflector } from '../kube/reflector.ts';
import type { ReflectorOptions } from '../kube/reflector-options.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { NamespaceSelector } from '../settings/settings.ts';
import { namespaceSelected } from '../settings/settings.ts';
import type { ObservedObject } from '../sdk/driver.ts';
import type { OwnedKind } from '../sdk/kube-object.ts';
import { kindKey } from '../sdk/kube-object.ts';
import type { GatewayAddress } from '../status/gateway-address.ts';
import { gatewayAddressOf } from '../status/gateway-address.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../translate/ownership.ts';
import type { CachedApi, CachedComponent, ClusterState, OwnedObject } from '../reconcile/ports.ts';
import type { DiscoveredKind } from './discovery-state.ts';
import { MultiIndex } from '../reconcile/multi-index.ts';
import { Overlay } from './overlay.ts';
import type { GatewayService, SliceReadiness } from './projections.ts';
import {
  SERVICE_NAME_LABEL,
  projectApi,
  projectComponent,
  projectObserved,
  projectOwned,
  projectService,
  projectSlice,
} from './projections.ts';

export interface KubeStateOptions {
  readonly client: KubeClient;
  readonly logger: KubeLogger;
  readonly namespaces: NamespaceSelector;
  readonly apiKinds: readonly DiscoveredKind[];
  readonly component?: DiscoveredKind;
  readonly ownedKinds: readonly { readonly kind: OwnedKind; readonly resourceType: ResourceType }[];
  readonly gatewaySelector?: Readonly<Record<string, string>>;
  /** The one object whose state gives the published address (`AddressSource` of type `object`). */
  readonly addressObject?: AddressObject;
  readonly reflector?: Partial<Pick<ReflectorOptions<unknown>, 'idleTimeoutMs' | 'relistIntervalMs' | 'pageSize'>>;
}

export interface AddressObject {
  readonly resourceType: ResourceType;
  readonly namespace: string;
  readonly name: string;
  /** The driver's pure reading of the object; a throwing reader counts as "no address". */
  readonly read: (object: ObservedObject) => GatewayAddress | undefined;
}

export type Trigger =
  | { readonly type: 'api'; readonly key: string }
  | { readonly type: 'owned'; readonly key: string }
  | { readonly type: 'service'; readonly namespace: string; readonly service: string }
  | { readonly type: 'gateway' }
  | { readonly type: 'component'; readonly uids: readonly string[] };

/** Flat, like the reflector's keys (`keyOf`): these live in the indexes. */
const id = (namespace: string, name: string): string => [namespace, name].join('/');

/**
 * The operator's view of the cluster: one reflector per watched kind, projected small, plus
 * indexes (outputs by API, EndpointSlice readiness by Service) and read-your-writes overlays.
 */
export class KubeState implements ClusterState {
  readonly #o: KubeStateOptions;
  readonly #apis: Reflector<CachedApi>[];
  readonly #owned = new Map<string, Reflector<OwnedObject>>();
  readonly #slices: Reflector<SliceReadiness>;
  readonly #gateway: Reflector<GatewayService> | undefined;
  readonly #addressObject: Reflector<ObservedObject> | undefined;
  readonly #components: Reflector<CachedComponent> | undefined;
  /** API key → ids (`Kind/ns/name`) of the outputs naming it in their source annotation. */
  readonly #bySource = new MultiIndex();
  readonly #keyByUid = new Map<string, string>();
  readonly #resourceOf = new Map<Reflector<unknown>, string>();
  /** `ns/service` → names of its EndpointSlices (their readiness is in the slice cache). */
  readonly #slicesByService = new MultiIndex();
  readonly apiOverlay = new Overlay<CachedApi>();
  readonly ownedOverlay = new Overlay<OwnedObject>();
  readonly #subresource: Map<string, boolean>;
  /**
   * Watch changes that only echo this process's own writes (the version its write returned):
   * the reconcile that wrote it already saw that version, so they trigger nothing. Without this,
   * every status write and apply made each API reconcile once more for nothing.
   */
  readonly #echoes = new WeakSet<object>();

  constructor(o: KubeStateOptions) {
    this.#o = o;
    const inScope = (raw: KubeRawObject): boolean => namespaceSelected(o.namespaces, raw.metadata.namespace ?? '');
    const common = { client: o.client, logger: o.logger, filter: inScope, ...o.reflector };
    this.#subresource = new Map(o.apiKinds.map((k) => [k.resourceType.kind, k.statusSubresource]));
    this.#apis = o.apiKinds.map((k) => new Reflector({ ...common, resourceType: k.resourceType, project: projectApi }));
    for (const { kind, resourceType } of o.ownedKinds) {
      const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
      this.#owned.set(kindKey(kind), new Reflector({ ...common, resourceType, labelSelector, project: projectOwned }));
    }
    const sliceType: ResourceType = {
      group: 'discovery.k8s.io',
      version: 'v1',
      plural: 'endpointslices',
      kind: 'EndpointSlice',
      namespaced: true,
    };
    this.#slices = new Reflector({
      ...common,
      resourceType: sliceType,
      labelSelector: SERVICE_NAME_LABEL,
      project: projectSlice,
    });
    const serviceType: ResourceType = {
      group: '',
      version: 'v1',
      plural: 'services',
      kind: 'Service',
      namespaced: true,
    };
    this.#gateway =
      o.gatewaySelector === undefined
        ? undefined
        : new Reflector({
            ...common,
            filter: () => true,
            resourceType: serviceType,
            labelSelector: Object.entries(o.gatewaySelector)
              .map(([k, v]) => `${k}=${v}`)
              .join(','),
            project: projectService,
          });
    this.#addressObject =
      o.addressObject === undefined
        ? undefined
        : new Reflector({
            ...common,
            filter: () => true,
            resourceType: o.addressObject.resourceType,
            namespace: o.addressObject.namespace,
            fieldSelector: `metadata.name=${o.addressObject.name}`,
            project: projectObserved,
          });
    this.#components =
      o.component && new Reflector({ ...common, resourceType: o.component.resourceType, project: projectComponent });
    const label = (r: Reflector<unknown> | undefined, rt: ResourceType): void => {
      if (r) this.#resourceOf.set(r, rt.group === '' ? rt.plural : `${rt.plural}.${rt.group}`);
    };
    o.apiKinds.forEach((k, i) => label(this.#apis[i] as Reflector<unknown> | undefined, k.resourceType));
    for (const { kind, resourceType } of o.ownedKinds)
      label(this.#owned.get(kindKey(kind)) as Reflector<unknown> | undefined, resourceType);
    label(this.#slices as Reflector<unknown>, sliceType);
    label(this.#gateway as Reflector<unknown> | undefined, serviceType);
    if (o.component) label(this.#components as Reflector<unknown> | undefined, o.component.resourceType);
    this.#indexOwned();
    this.#indexSlices();
    for (const r of this.#apis) {
      r.changes$.subscribe((c) => {
        if (c.previous) this.#keyByUid.delete(c.previous.uid);
        if (c.current) this.#keyByUid.set(c.current.uid, c.current.key);
        const seen = c.current ?? c.previous;
        if (seen && this.apiOverlay.observed(seen.key, seen.resourceVersion) && c.current) this.#echoes.add(c);
      });
    }
  }

  #all(): Reflector<unknown>[] {
    return [
      ...this.#apis,
      ...this.#owned.values(),
      this.#slices,
      ...(this.#gateway ? [this.#gateway] : []),
      ...(this.#addressObject ? [this.#addressObject] : []),
      ...(this.#components ? [this.#components] : []),
    ] as Reflector<unknown>[];
  }

  async start(): Promise<void> {
    for (const r of this.#all()) r.start();
    await Promise.all(this.#all().map((r) => r.synced()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#all().map((r) => r.stop()));
  }

  /** Every change that may make an API look different, as triggers for the pipeline. */
  triggers(): Observable<Trigger> {
    const apiChanges = merge(...this.#apis.map((r) => r.changes$)).pipe(
      filter((c) => !this.#echoes.has(c)),
      map((c): Trigger => ({ type: 'api', key: (c.current ?? c.previous)?.key ?? '' })),
    );
    const owned = merge(...[...this.#owned.values()].map((r) => r.changes$)).pipe(
      filter((c) => !this.#echoes.has(c)),
      mergeMap((c) =>
        [...new Set([c.previous?.source, c.current?.source])].filter((k): k is string => k !== undefined),
      ),
      map((key): Trigger => ({ type: 'owned', key })),
    );
    const slices = this.#slices.changes$.pipe(
      map((c) => c.current ?? c.previous),
      filter((s): s is SliceReadiness => s !== undefined),
      map((s): Trigger => ({ type: 'service', namespace: s.namespace, service: s.service })),
    );
    const gateway = merge(...[this.#gateway, this.#addressObject].flatMap((r) => (r ? [r.changes$] : []))).pipe(
      map((): Trigger => ({ type: 'gateway' })),
    );
    const components = this.#components
      ? this.#components.changes$.pipe(
          map((c): Trigger => ({
            type: 'component',
            uids: [...(c.current?.entries ?? []), ...(c.previous?.entries ?? [])].flatMap((e) =>
              e.uid ? [e.uid] : [],
            ),
          })),
        )
      : EMPTY;
    return merge(apiChanges, owned, slices, gateway, components);
  }

  #indexOwned(): void {
    for (const r of this.#owned.values()) {
      r.changes$.subscribe((c) => {
        const objectId = `${(c.current ?? c.previous)?.kind ?? ''}/${id(c.namespace, c.name)}`;
        const rv = (c.current ?? c.previous)?.resourceVersion;
        if (rv !== undefined && this.ownedOverlay.observed(objectId, rv) && c.current) this.#echoes.add(c);
        if (c.previous?.source !== undefined) this.#bySource.delete(c.previous.source, objectId);
        if (c.current?.source !== undefined) this.#bySource.add(c.current.source, objectId);
      });
    }
  }

  #indexSlices(): void {
    this.#slices.changes$.subscribe((c) => {
      // A slice may move to another Service (its label changed): forget the old one first.
      if (c.previous) this.#slicesByService.delete(id(c.previous.namespace, c.previous.service), c.name);
      if (c.current) this.#slicesByService.add(id(c.current.namespace, c.current.service), c.name);
    });
  }

  /** Watch restarts of every reflector, with the resource they watch (for metrics). */
  restarts(): Observable<{ readonly resource: string; readonly reason: string }> {
    return merge(
      ...this.#all().map((r) =>
        r.restarts$.pipe(
          map((restart) => ({ resource: this.#resourceOf.get(r) ?? 'unknown', reason: restart.reason })),
        ),
      ),
    );
  }

  /** Keys of every API object, and of every API named by an output (orphans included). */
  allKeys(): Set<string> {
    const keys = new Set<string>();
    for (const r of this.#apis) for (const a of r.values()) keys.add(a.key);
    for (const source of this.#bySource.keys()) keys.add(source);
    return keys;
  }

  /** Keys of the API objects with these uids (Component status entries name APIs by uid). */
  keysByUid(uids: readonly string[]): string[] {
    return uids.flatMap((uid) => this.#keyByUid.get(uid) ?? []);
  }

  api(key: string): CachedApi | undefined {
    const [kind, namespace = '', name = ''] = key.split('/');
    const index = this.#o.apiKinds.findIndex((k) => k.resourceType.kind === kind);
    const reflector = this.#apis[index];
    return this.apiOverlay.read(key, reflector?.get(namespace, name));
  }

  ownedBy(key: string): readonly OwnedObject[] {
    const out: OwnedObject[] = [];
    for (const objectId of this.#bySource.get(key)) {
      const [kind = '', namespace = '', name = ''] = objectId.split('/');
      const owned = this.#ownedOf(kind, namespace, name);
      if (owned?.source === key) out.push(owned);
    }
    return out;
  }

  #ownedOf(kind: string, namespace: string, name: string): OwnedObject | undefined {
    for (const [key, reflector] of this.#owned) {
      if (key.endsWith(`/${kind}`)) {
        const objectId = `${kind}/${id(namespace, name)}`;
        return this.ownedOverlay.read(objectId, reflector.get(namespace, name));
      }
    }
    return undefined;
  }

  ownedObject(kind: OwnedKind, namespace: string, name: string): OwnedObject | undefined {
    return this.#ownedOf(kind.kind, namespace, name);
  }

  implementationReady(namespace: string, service: string): boolean {
    return this.#slicesByService
      .get(id(namespace, service))
      .some((slice) => this.#slices.get(namespace, slice)?.ready === true);
  }

  gatewayAddress(): GatewayAddress | undefined {
    const source = this.#o.addressObject;
    if (source !== undefined) {
      const object = this.#addressObject?.get(source.namespace, source.name);
      try {
        return object && source.read(object);
      } catch {
        return undefined;
      }
    }
    return this.#gateway ? gatewayAddressOf(this.#gateway.values()) : undefined;
  }

  component(namespace: string, name: string): CachedComponent | undefined {
    return this.#components?.get(namespace, name);
  }

  availableKinds(): ReadonlySet<string> {
    return new Set(this.#o.ownedKinds.map((k) => kindKey(k.kind)));
  }

  statusSubresource(key: string): boolean {
    return this.#subresource.get(key.split('/')[0] ?? '') ?? false;
  }

  componentStatusSubresource(): boolean {
    return this.#o.component?.statusSubresource ?? false;
  }

  /** Sizes of the caches, for metrics. */
  sizes(): Record<string, number> {
    const out: Record<string, number> = { EndpointSlice: this.#slices.size };
    this.#o.apiKinds.forEach((k, i) => (out[k.resourceType.kind] = this.#apis[i]?.size ?? 0));
    for (const [key, r] of this.#owned) out[key.split('/').at(-1) ?? key] = r.size;
    return out;
  }
}
