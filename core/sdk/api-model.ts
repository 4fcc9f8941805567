import type { JsonObject, JsonValue } from './json.ts';

/** The API kinds the operator reads: the current `ExposedAPI` and the legacy `API`. */
export const EXPOSED_API_GROUP = 'oda.tmforum.org';
/** The legacy `API` kind lives in the same group (its CRD is `apis.oda.tmforum.org`). */
export const LEGACY_API_GROUP = EXPOSED_API_GROUP;
export const EXPOSED_API_VERSIONS = ['v1beta3', 'v1beta4', 'v1'] as const;
export const LEGACY_API_VERSIONS = [
  'v1alpha1',
  'v1alpha2',
  'v1alpha3',
  'v1alpha4',
  'v1beta1',
  'v1beta2',
  'v1beta3',
  'v1beta4',
] as const;

/** `ExposedAPI`, or the legacy `API` kind. */
export type ApiKind = 'ExposedAPI' | 'API';
/** `spec.apiType`: a REST API, a metrics endpoint, or an MCP server. */
export type ApiType = 'openapi' | 'prometheus' | 'openmetrics' | 'mcp';
/** Every `ApiType`. */
export const API_TYPES: readonly ApiType[] = ['openapi', 'prometheus', 'openmetrics', 'mcp'];
/** `spec.segment`: which list of the Component's status the API belongs to. */
export type Segment = 'coreFunction' | 'managementFunction' | 'securityFunction';
/** Every `Segment`. */
export const SEGMENTS: readonly Segment[] = ['coreFunction', 'managementFunction', 'securityFunction'];

/** Where an API object came from: enough to name it, own outputs and write status. */
export interface ApiSource {
  readonly kind: ApiKind;
  readonly group: typeof EXPOSED_API_GROUP;
  readonly version: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The controlling owner when it is an ODA Component (status propagation target). */
  readonly component?: { readonly name: string; readonly uid: string };
}

/** One OpenAPI (or other) document describing the API. */
export interface ApiSpecificationRef {
  readonly url: string;
  readonly version?: string;
}

/** `spec.CORS`. */
export interface CorsPolicy {
  readonly enabled: boolean;
  readonly allowCredentials: boolean;
  readonly allowOrigins: readonly string[];
  readonly handlePreflightRequests: {
    readonly enabled: boolean;
    readonly allowHeaders: readonly string[];
    readonly allowMethods: readonly string[];
    readonly maxAge: number;
  };
}

/** `spec.rateLimit`: `limit` requests per second (`ps`) or minute (`pm`) per `identifier`. */
export interface RateLimitPolicy {
  readonly enabled: boolean;
  readonly identifier?: string;
  readonly limit?: string;
  readonly interval?: 'ps' | 'pm';
}

/** `spec.quota`. */
export interface QuotaPolicy {
  readonly identifier?: string;
  readonly limit?: string;
}

/** `spec.apiKeyVerification`: where the API key is read from. */
export interface ApiKeyVerificationPolicy {
  readonly enabled: boolean;
  readonly location?: string;
}

/** `spec.OASValidation`: validate requests and responses against the OpenAPI document. */
export interface OasValidationPolicy {
  readonly requestEnabled: boolean;
  readonly responseEnabled: boolean;
  readonly allowUnspecifiedHeaders: boolean;
  readonly allowUnspecifiedQueryParams: boolean;
  readonly allowUnspecifiedCookies: boolean;
}

/** Gateway policies declared on an API. Parsed and carried even where a driver does not apply them. */
export interface ApiPolicies {
  readonly cors?: CorsPolicy;
  readonly rateLimit?: RateLimitPolicy;
  readonly quota?: QuotaPolicy;
  readonly apiKeyVerification?: ApiKeyVerificationPolicy;
  readonly oasValidation?: OasValidationPolicy;
}

/** One normalized API, whatever kind and version it was written in. */
export interface ApiModel {
  readonly source: ApiSource;
  /** `spec.name`: the API name the component declared. */
  readonly apiName: string;
  readonly apiType: ApiType;
  readonly specification: readonly ApiSpecificationRef[];
  /** Name of the Service in the API's namespace that implements it. */
  readonly implementation: string;
  /** Path prefix on the gateway; starts with `/`, normalized. */
  readonly path: string;
  readonly port: number;
  readonly developerUI?: string;
  readonly segment?: Segment;
  readonly hostname?: string;
  readonly basicAuth?: JsonObject;
  readonly policies: ApiPolicies;
  /** Fields carried but not used for routing (`template`, `resources`, `required`, `apiSDO`, `id`). */
  readonly extra: Readonly<Record<string, JsonValue>>;
}

/** True for `prometheus` and `openmetrics` APIs (they get a ServiceMonitor). */
export function isMetricsApi(api: Pick<ApiModel, 'apiType'>): boolean {
  return api.apiType === 'prometheus' || api.apiType === 'openmetrics';
}

/** `Kind/namespace/name`: the key of an API object in the core's queue and annotations. */
export function apiKey(source: Pick<ApiSource, 'kind' | 'namespace' | 'name'>): string {
  // One flat string (a template literal would keep a chain of cons strings alive in the caches).
  return [source.kind, source.namespace, source.name].join('/');
}
