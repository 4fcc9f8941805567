import type { JsonObject } from './json.ts';

/** A reference from an output object to the API object that owns it. */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** Metadata of a desired object. Drivers set name, namespace and labels (see `outputMetadata`). */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

/** A desired Kubernetes object produced by a driver. Everything but metadata lives in `spec`. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: JsonObject;
}

/** A namespaced kind as the REST API names it. */
export interface KindRef {
  /** `group/version`, e.g. `gateway.networking.k8s.io/v1` (`v1` for the core group). */
  readonly apiVersion: string;
  /** PascalCase kind, e.g. `HTTPRoute`. */
  readonly kind: string;
  /** Resource name in URLs and RBAC rules, e.g. `httproutes`. */
  readonly plural: string;
}

/** A kind a driver creates; the core watches it for drift, lists it for pruning and needs RBAC for it. */
export interface OwnedKind extends KindRef {
  /**
   * True when the kind is installed by a third party that may be absent (e.g. the Prometheus
   * operator's ServiceMonitor). The core then reports a condition instead of failing.
   */
  readonly optional?: boolean;
}

/** `apiVersion/kind`, the key of a kind in `ClusterView.availableKinds`. */
export function kindKey(kind: Pick<OwnedKind, 'apiVersion' | 'kind'>): string {
  return `${kind.apiVersion}/${kind.kind}`;
}
