/**
 * The driver SDK (`oda-api-operator/sdk`): everything a gateway driver may import from the
 * operator. Versioned by `SDK_VERSION`; the surface is recorded in `core/sdk/api-report.md`.
 * The conformance kit is the second entry point, `oda-api-operator/sdk/testkit`.
 * See drivers/README.md.
 */
export { SDK_VERSION } from './version.ts';
export type { ApiKind, ApiModel, ApiPolicies, ApiSource, ApiSpecificationRef, ApiType, Segment } from './api-model.ts';
export type {
  ApiKeyVerificationPolicy,
  CorsPolicy,
  OasValidationPolicy,
  QuotaPolicy,
  RateLimitPolicy,
} from './api-model.ts';
export { API_TYPES, SEGMENTS, apiKey, isMetricsApi } from './api-model.ts';
export type { ConditionStatus, DriverCondition, ObservedCondition } from './conditions.ts';
export { ConditionType, Reason, isStale, readObservedConditions } from './conditions.ts';
export type {
  AddressSource,
  ClusterView,
  ObservedObject,
  PublishedAddress,
  RawSettings,
  RouteClaim,
  SettingDeclaration,
  TranslateInput,
  TranslateOutput,
} from './driver.ts';
export { Driver } from './driver.ts';
export { SettingsError, TerminalError } from './errors.ts';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { isJsonObject } from './json.ts';
export type { KindRef, KubeObject, ObjectMeta, OwnedKind, OwnerReference } from './kube-object.ts';
export { kindKey } from './kube-object.ts';
export { SERVICE_MONITOR_KIND, metricsOutputs, outputMetadata, unsupportedPolicies } from './outputs.ts';
export type { ObjectRef } from './setting-parsers.ts';
export {
  formatObjectRef,
  parseHostname,
  parseLabelSelector,
  parseObjectRef,
  parseResourceName,
  required,
} from './setting-parsers.ts';
