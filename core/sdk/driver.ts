import type { ApiModel } from './api-model.ts';
import type { DriverCondition } from './conditions.ts';
import type { JsonObject } from './json.ts';
import type { KindRef, KubeObject, OwnedKind, OwnerReference } from './kube-object.ts';

/** A setting a driver reads, declared so the core can load it from file, environment and flags. */
export interface SettingDeclaration {
  /** camelCase key used in the config file and in `parseSettings` input. */
  readonly key: string;
  /** Environment variable names, the first being canonical; others are accepted aliases. */
  readonly env: readonly string[];
  /** Command-line flag without dashes, e.g. `component-gateway`. */
  readonly flag: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Value when no source sets one; without a default the key is absent from `RawSettings`. */
  readonly default?: string;
}

/** Raw setting values (strings, as from the environment) by key; core settings are included. */
export type RawSettings = Readonly<Record<string, string | undefined>>;

/** What the core knows about the cluster when it asks for a translation. */
export interface ClusterView {
  /** `apiVersion/kind` keys of the optional owned kinds that are installed (see `kindKey`). */
  readonly availableKinds: ReadonlySet<string>;
}

/** Everything `translate` may look at: one API, the driver's parsed settings, the cluster view. */
export interface TranslateInput<S> {
  readonly api: ApiModel;
  readonly settings: S;
  /** Reference to the API object; absent in render mode where the uid is unknown. */
  readonly owner?: OwnerReference;
  readonly cluster: ClusterView;
}

/** What `translate` returns: the desired objects (the route first) and conditions about the API. */
export interface TranslateOutput {
  readonly objects: readonly KubeObject[];
  readonly conditions: readonly DriverCondition[];
}

/** Where clients reach the gateway: an IP address or DNS name, and a port when not the default. */
export interface PublishedAddress {
  readonly host: string;
  /** Port shown in URLs; leave it out for 80 and 443. */
  readonly port?: number;
}

/** A live object as the core hands it to a driver: identity, generation, `spec` and `status`. */
export interface ObservedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `metadata.generation`, when the kind has one. */
  readonly generation?: number;
  /** `{}` when absent. */
  readonly spec: JsonObject;
  /** `{}` when absent. */
  readonly status: JsonObject;
}

/**
 * Where the published address of the gateway comes from:
 * - `service`: the first Service matching a label selector (e.g. Istio's ingress gateway);
 * - `route-status`: each output object's own `status.loadBalancer.ingress` (e.g. an Ingress);
 * - `object`: one named object the core watches (e.g. a Gateway API `Gateway`); `read` turns its
 *   current state into the address. `read` must be pure and must not throw: it is called with
 *   whatever the object holds, and returns `undefined` while there is no address.
 */
export type AddressSource =
  | {
      readonly type: 'service';
      readonly selector: Readonly<Record<string, string>>;
      readonly namespace?: string;
    }
  | { readonly type: 'route-status'; readonly kind: OwnedKind }
  | {
      readonly type: 'object';
      readonly kind: KindRef;
      readonly namespace: string;
      readonly name: string;
      read(object: ObservedObject): PublishedAddress | undefined;
    };

/** Gateway and host an API claims its path on; used by the core to detect overlapping routes. */
export interface RouteClaim {
  /** Anything naming the shared listener, e.g. `gateway/<namespace>/<name>`. */
  readonly gateway: string;
  /** Host name the route matches, `*` for any. */
  readonly host: string;
}

/**
 * A gateway driver: a pure translator from one normalized API to the objects that expose it.
 * Every function but `parseSettings` must be pure: no I/O, clock, randomness, environment or
 * logging, and no exceptions (an unsupported feature or a bad input becomes a condition).
 * See drivers/README.md for the whole contract and the conformance kit that checks it.
 */
export interface Driver<S = unknown> {
  /** Stable kebab-case id, used in settings, ownership labels and the field manager. */
  readonly id: string;
  /** One line for `--help` and logs. */
  readonly description: string;
  /** Every kind `translate` may return; the core watches, prunes and needs RBAC for exactly these. */
  readonly ownedKinds: readonly OwnedKind[];
  /** The driver's own settings; they become config-file keys, environment variables and flags. */
  readonly settings: readonly SettingDeclaration[];
  /** `SDK_VERSION` the driver was built against; the operator refuses another major version. */
  readonly sdkVersion?: string;
  /** Validates raw settings once at start; throws `SettingsError` naming the setting. */
  parseSettings(raw: RawSettings): S;
  /** The objects exposing one API (the route first) and conditions about it. Pure. */
  translate(input: TranslateInput<S>): TranslateOutput;
  /** Where the address published in URLs comes from. Pure. */
  addressSource(settings: S): AddressSource;
  /** The gateway and host an API's path is claimed on, for overlap detection. Pure. */
  routeClaim(api: ApiModel, settings: S): RouteClaim;
  /**
   * Optional, pure: conditions read from the live route (the first object `translate` returned),
   * e.g. whether the gateway accepted it. The core writes them on the API object; while one of
   * them is not `True`, the API is not Ready (reason `RouteNotAccepted`). Must not throw.
   */
  routeConditions?(route: ObservedObject, settings: S): readonly DriverCondition[];
}

/** Injection token under which a driver module binds its `Driver` (built-in drivers). */
export const Driver = Symbol.for('oda-api-operator.Driver');
