import type { JsonObject, JsonValue } from '../sdk/json.ts';
import type { KubeObject, OwnedKind } from '../sdk/kube-object.ts';
import type { StatusMemo } from '../status/api-status.ts';
import type { GatewayAddress } from '../status/gateway-address.ts';

/** An API object as cached: the raw object without managed fields (`raw` has no `status`; see `status`). */
export interface CachedApi {
  readonly key: string;
  readonly raw: JsonObject;
  readonly apiVersion: string;
  readonly resourceVersion: string;
  readonly uid: string;
  readonly generation?: number;
  readonly deleting: boolean;
  /** What the cache keeps of `status` (see `StatusMemo`). */
  readonly status?: StatusMemo | undefined;
}

/** The part of an output object the core needs: identity, ownership and what drift is judged on. */
export interface OwnedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  /** Value of the source annotation: the key of the API it belongs to. */
  readonly source?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ownerReferences: JsonValue;
  readonly spec: JsonValue;
  /** `metadata.generation`, when the kind has one. */
  readonly generation?: number;
  /** The whole `status`, read by a driver's `routeConditions`. */
  readonly status?: JsonObject | undefined;
  /** `status.loadBalancer.ingress` (Ingress-like kinds). */
  readonly loadBalancer: readonly { readonly ip?: string; readonly hostname?: string }[];
  /** Digest of a desired object this version is known to contain (recorded by `inSync`). */
  verifiedDigest?: string;
  /**
   * True once the cache dropped labels, annotations, owner references, spec and status (see
   * `forgetContent`): reading them then throws, and drift is judged on `verifiedDigest` alone.
   */
  readonly contentForgotten?: boolean;
  /** Drops what drift is judged on, once verified: a cached route then costs a third of the memory. */
  readonly forgetContent?: () => void;
}

/** One API entry of a Component's status (`coreAPIs`, `managementAPIs`, `securityAPIs`). */
export interface ComponentEntry {
  readonly list: 'coreAPIs' | 'managementAPIs' | 'securityAPIs';
  readonly index: number;
  readonly uid?: string;
  readonly url?: string;
  readonly developerUI?: string;
  readonly ready?: boolean;
}

export interface CachedComponent {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly entries: readonly ComponentEntry[];
}

/** What a reconcile reads: the informer caches and discovery, never the API server directly. */
export interface ClusterState {
  api(key: string): CachedApi | undefined;
  /** Output objects carrying this key in their source annotation. */
  ownedBy(key: string): readonly OwnedObject[];
  ownedObject(kind: OwnedKind, namespace: string, name: string): OwnedObject | undefined;
  implementationReady(namespace: string, service: string): boolean;
  gatewayAddress(): GatewayAddress | undefined;
  component(namespace: string, name: string): CachedComponent | undefined;
  /** `apiVersion/kind` of the optional owned kinds whose CRDs are installed. */
  availableKinds(): ReadonlySet<string>;
  /** Whether the API kind of `key` has a status subresource (our CRD) or not (upstream's). */
  statusSubresource(key: string): boolean;
  componentStatusSubresource(): boolean;
}

export interface EventInput {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** The only side effects of a reconcile. */
export interface ClusterWriter {
  /** Server-side apply with the operator's field manager; `force` only for objects already ours. */
  apply(object: KubeObject, force: boolean): Promise<OwnedObject>;
  delete(object: OwnedObject): Promise<void>;
  patchApiStatus(api: CachedApi, patch: JsonObject, subresource: boolean): Promise<void>;
  patchComponentStatus(component: CachedComponent, ops: readonly JsonObject[], subresource: boolean): Promise<void>;
  event(api: CachedApi, event: EventInput): Promise<void>;
}
