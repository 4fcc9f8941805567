/**
 * Conditions a driver reports about one API. The core merges them into the API object's
 * `status.conditions` (adding `lastTransitionTime` and `observedGeneration`).
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface DriverCondition {
  /** CamelCase type, e.g. `Unsupported`, `MetricsUnavailable`. */
  readonly type: string;
  readonly status: ConditionStatus;
  /** CamelCase reason, e.g. `RateLimitNotSupported`. */
  readonly reason: string;
  readonly message: string;
}

/** Condition types and reasons shared by the core and drivers. */
export const ConditionType = {
  Ready: 'Ready',
  Unsupported: 'Unsupported',
  MetricsUnavailable: 'MetricsUnavailable',
} as const;

export const Reason = {
  Ready: 'Ready',
  InvalidSpec: 'InvalidSpec',
  PathConflict: 'PathConflict',
  GatewayAddressPending: 'GatewayAddressPending',
  ImplementationNotReady: 'ImplementationNotReady',
  ApplyFailed: 'ApplyFailed',
  FeatureNotSupported: 'FeatureNotSupported',
  ServiceMonitorCrdMissing: 'ServiceMonitorCrdMissing',
} as const;
