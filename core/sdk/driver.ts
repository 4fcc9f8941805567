import type { ApiModel } from './api-model.ts';
import type { DriverCondition } from './conditions.ts';
import type { KubeObject, OwnedKind, OwnerReference } from './kube-object.ts';

/** A setting a driver reads, declared so the core can load it from file, environment and flags. */
export interface SettingDeclaration {
  /** camelCase key used in the config file and in `parseSettings` input. */
  readonly key: string;
  /** Environment variable names, the first being canonical; others are accepted aliases. */
  readonly env: readonly string[];
  /** Command-line flag without dashes, e.g. `component-gateway`. */
  readonly flag: string;
  readonly description: string;
  readonly default?: string;
}

/** Raw setting values (strings, as from the environment) by key; core settings are included. */
export type RawSettings = Readonly<Record<string, string | undefined>>;

/** What the core knows about the cluster when it asks for a translation. */
export interface ClusterView {
  /** `apiVersion/kind` keys of the optional owned kinds that are installed (see `kindKey`). */
  readonly availableKinds: ReadonlySet<string>;
}

export interface TranslateInput<S> {
  readonly api: ApiModel;
  readonly settings: S;
  /** Reference to the API object; absent in render mode where the uid is unknown. */
  readonly owner?: OwnerReference;
  readonly cluster: ClusterView;
}

export interface TranslateOutput {
  readonly objects: readonly KubeObject[];
  readonly conditions: readonly DriverCondition[];
}

/**
 * Where the published address of the gateway comes from:
 * - `service`: the first Service matching a label selector (e.g. Istio's ingress gateway);
 * - `route-status`: each output object's own `status.loadBalancer.ingress` (e.g. an Ingress).
 */
export type AddressSource =
  | {
      readonly type: 'service';
      readonly selector: Readonly<Record<string, string>>;
      readonly namespace?: string;
    }
  | { readonly type: 'route-status'; readonly kind: OwnedKind };

/** Host, path and gateway an API claims; used by the core to detect overlapping routes. */
export interface RouteClaim {
  readonly gateway: string;
  readonly host: string;
}

/**
 * A gateway driver: a pure translator from one normalized API to the objects that expose it.
 * `translate` must not perform I/O, read the clock, use randomness or log.
 */
export interface Driver<S = unknown> {
  /** Stable kebab-case id, used in settings, ownership labels and the field manager. */
  readonly id: string;
  readonly description: string;
  readonly ownedKinds: readonly OwnedKind[];
  readonly settings: readonly SettingDeclaration[];
  /** Validates raw settings once at start; throws `SettingsError` naming the setting. */
  parseSettings(raw: RawSettings): S;
  translate(input: TranslateInput<S>): TranslateOutput;
  addressSource(settings: S): AddressSource;
  routeClaim(api: ApiModel, settings: S): RouteClaim;
}

export const Driver = Symbol.for('oda-api-operator.Driver');
