import type {
  ApiKeyVerificationPolicy,
  ApiPolicies,
  CorsPolicy,
  OasValidationPolicy,
  QuotaPolicy,
  RateLimitPolicy,
} from '../sdk/api-model.ts';
import type { JsonObject } from '../sdk/json.ts';
import type { FieldReader } from './field-reader.ts';

const DEFAULT_ALLOW_METHODS = ['GET', 'POST', 'HEAD', 'OPTIONS'];
const DEFAULT_MAX_AGE = 1800;

/** Reads the policy blocks of an ExposedAPI spec (`CORS`, `rateLimit`, `quota`, `apiKeyVerification`, `OASValidation`). */
export function readPolicies(r: FieldReader, spec: JsonObject): ApiPolicies {
  const policies: {
    cors?: CorsPolicy;
    rateLimit?: RateLimitPolicy;
    quota?: QuotaPolicy;
    apiKeyVerification?: ApiKeyVerificationPolicy;
    oasValidation?: OasValidationPolicy;
  } = {};
  const cors = readCors(r, spec.CORS);
  if (cors) policies.cors = cors;
  const rateLimit = readRateLimit(r, spec.rateLimit);
  if (rateLimit) policies.rateLimit = rateLimit;
  const quota = readQuota(r, spec.quota);
  if (quota) policies.quota = quota;
  const apiKey = readApiKey(r, spec.apiKeyVerification);
  if (apiKey) policies.apiKeyVerification = apiKey;
  const oas = readOas(r, spec.OASValidation);
  if (oas) policies.oasValidation = oas;
  return policies;
}

function readCors(r: FieldReader, value: unknown): CorsPolicy | undefined {
  const o = r.object(value, 'spec.CORS');
  if (!o) return undefined;
  const pre = r.object(o.handlePreflightRequests, 'spec.CORS.handlePreflightRequests') ?? {};
  const field = 'spec.CORS.handlePreflightRequests';
  return {
    enabled: r.boolean(o.enabled, 'spec.CORS.enabled', false),
    allowCredentials: r.boolean(o.allowCredentials, 'spec.CORS.allowCredentials', false),
    allowOrigins: r.csv(o.allowOrigins, 'spec.CORS.allowOrigins', ['*']),
    handlePreflightRequests: {
      enabled: r.boolean(pre.enabled, `${field}.enabled`, true),
      allowHeaders: r.csv(pre.allowHeaders, `${field}.allowHeaders`, []),
      allowMethods: r.csv(pre.allowMethods, `${field}.allowMethods`, DEFAULT_ALLOW_METHODS),
      maxAge:
        r.integer(pre.maxAge ?? DEFAULT_MAX_AGE, `${field}.maxAge`, { min: 0, max: 31_536_000, lenient: true }) ??
        DEFAULT_MAX_AGE,
    },
  };
}

function readRateLimit(r: FieldReader, value: unknown): RateLimitPolicy | undefined {
  const o = r.object(value, 'spec.rateLimit');
  if (!o) return undefined;
  const out: { enabled: boolean; identifier?: string; limit?: string; interval?: 'ps' | 'pm' } = {
    enabled: r.boolean(o.enabled, 'spec.rateLimit.enabled', false),
  };
  const identifier = r.string(o.identifier, 'spec.rateLimit.identifier', { max: 256 });
  if (identifier !== undefined) out.identifier = identifier;
  const limit = r.scalarString(o.limit, 'spec.rateLimit.limit');
  if (limit !== undefined && limit !== '') out.limit = limit;
  const interval =
    o.interval === '' ? undefined : r.oneOf(o.interval, 'spec.rateLimit.interval', ['ps', 'pm'] as const);
  if (interval !== undefined) out.interval = interval;
  return out;
}

function readQuota(r: FieldReader, value: unknown): QuotaPolicy | undefined {
  const o = r.object(value, 'spec.quota');
  if (!o) return undefined;
  const out: { identifier?: string; limit?: string } = {};
  const identifier = r.string(o.identifier, 'spec.quota.identifier', { max: 256 });
  if (identifier !== undefined) out.identifier = identifier;
  const limit = r.scalarString(o.limit, 'spec.quota.limit');
  if (limit !== undefined && limit !== '') out.limit = limit;
  return out;
}

function readApiKey(r: FieldReader, value: unknown): ApiKeyVerificationPolicy | undefined {
  const o = r.object(value, 'spec.apiKeyVerification');
  if (!o) return undefined;
  const location = r.string(o.location, 'spec.apiKeyVerification.location', { max: 256 });
  const enabled = r.boolean(o.enabled, 'spec.apiKeyVerification.enabled', false);
  return location === undefined || location === '' ? { enabled } : { enabled, location };
}

function readOas(r: FieldReader, value: unknown): OasValidationPolicy | undefined {
  const o = r.object(value, 'spec.OASValidation');
  if (!o) return undefined;
  const f = 'spec.OASValidation';
  return {
    requestEnabled: r.boolean(o.requestEnabled, `${f}.requestEnabled`, false),
    responseEnabled: r.boolean(o.responseEnabled, `${f}.responseEnabled`, false),
    allowUnspecifiedHeaders: r.boolean(o.allowUnspecifiedHeaders, `${f}.allowUnspecifiedHeaders`, true),
    allowUnspecifiedQueryParams: r.boolean(o.allowUnspecifiedQueryParams, `${f}.allowUnspecifiedQueryParams`, true),
    allowUnspecifiedCookies: r.boolean(o.allowUnspecifiedCookies, `${f}.allowUnspecifiedCookies`, true),
  };
}
