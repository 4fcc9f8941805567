import { isJsonObject } from './json.ts';

/** Status of a condition, as in Kubernetes. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * A condition a driver reports about one API. The core merges it into the API object's
 * `status.conditions` (adding `lastTransitionTime` and `observedGeneration`).
 */
export interface DriverCondition {
  /** CamelCase type, e.g. `Unsupported`, `MetricsUnavailable`. `Ready` belongs to the core. */
  readonly type: string;
  readonly status: ConditionStatus;
  /** CamelCase reason, e.g. `RateLimitNotSupported`. */
  readonly reason: string;
  /** Human-readable; name the field or object concerned. */
  readonly message: string;
}

/** Condition types shared by the core and drivers. */
export const ConditionType = {
  Ready: 'Ready',
  Unsupported: 'Unsupported',
  MetricsUnavailable: 'MetricsUnavailable',
} as const;

/** Condition reasons shared by the core and drivers. */
export const Reason = {
  Ready: 'Ready',
  InvalidSpec: 'InvalidSpec',
  PathConflict: 'PathConflict',
  GatewayAddressPending: 'GatewayAddressPending',
  ImplementationNotReady: 'ImplementationNotReady',
  ApplyFailed: 'ApplyFailed',
  /** Ready is False because a route condition (`Driver.routeConditions`) is not True. */
  RouteNotAccepted: 'RouteNotAccepted',
  FeatureNotSupported: 'FeatureNotSupported',
  ServiceMonitorCrdMissing: 'ServiceMonitorCrdMissing',
} as const;

/** A condition read from a live object's `status` (`metav1.Condition`). */
export interface ObservedCondition extends DriverCondition {
  /** The object generation the condition was computed for, when its writer recorded it. */
  readonly observedGeneration?: number;
}

const STATUSES: readonly string[] = ['True', 'False', 'Unknown'];

/**
 * Reads a `conditions` array of a live object leniently, for `routeConditions`: entries without a
 * string `type` are dropped; an unknown `status` reads as `Unknown`; a missing `reason` or
 * `message` reads as `''`. Pure; never throws, whatever `value` is.
 */
export function readObservedConditions(value: unknown): ObservedCondition[] {
  if (!Array.isArray(value)) return [];
  const out: ObservedCondition[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item) || typeof item.type !== 'string' || item.type === '') continue;
    const { status, reason, message, observedGeneration } = item;
    out.push({
      type: item.type,
      status: typeof status === 'string' && STATUSES.includes(status) ? (status as ConditionStatus) : 'Unknown',
      reason: typeof reason === 'string' ? reason : '',
      message: typeof message === 'string' ? message : '',
      ...(typeof observedGeneration === 'number' && Number.isInteger(observedGeneration) ? { observedGeneration } : {}),
    });
  }
  return out;
}

/**
 * True when a condition was computed for an older generation of its object than `generation`,
 * i.e. it does not describe the current spec yet. Without both numbers it is taken as current.
 */
export function isStale(condition: ObservedCondition, generation: number | undefined): boolean {
  return (
    generation !== undefined && condition.observedGeneration !== undefined && condition.observedGeneration < generation
  );
}
