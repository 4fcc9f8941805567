import type { ApiModel, ApiSource, ApiType, Segment } from '../sdk/api-model.ts';
import { API_TYPES, SEGMENTS } from '../sdk/api-model.ts';
import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import { apiKindOf, displayIdentity, readSource } from './api-identity.ts';
import { FieldReader } from './field-reader.ts';
import { readPolicies } from './policies.ts';
import type { Problem } from './problems.ts';
import { show } from './problems.ts';
import { readSpecification } from './specification.ts';
import { checkHostname, checkPath, checkServiceName } from './syntax.ts';

export type NormalizeResult =
  | { readonly ok: true; readonly api: ApiModel }
  | { readonly ok: false; readonly source: ApiSource; readonly problems: readonly Problem[] };

export interface NormalizeOptions {
  /** Namespace for objects that name none (render mode); the live operator always has one. */
  readonly defaultNamespace?: string;
}

const CARRIED_FIELDS = ['template', 'resources', 'required', 'apiSDO', 'id'] as const;

/** True for `ExposedAPI` and legacy `API` objects of any served version. */
export function isApiObject(raw: unknown): boolean {
  return apiKindOf(raw) !== undefined;
}

/**
 * Normalizes an ExposedAPI or legacy API object into the one internal model, or lists every
 * problem found, each naming its field. Pure: never throws on hostile input.
 */
export function normalizeApi(raw: unknown, options: NormalizeOptions = {}): NormalizeResult {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const id = apiKindOf(raw);
  if (id === undefined || !isJsonObject(raw)) {
    const shown = isJsonObject(raw)
      ? displayIdentity(raw, defaultNamespace)
      : { namespace: defaultNamespace, name: '<unnamed>' };
    const source: ApiSource = { kind: 'ExposedAPI', group: 'oda.tmforum.org', version: 'v1', labels: {}, ...shown };
    return {
      ok: false,
      source,
      problems: [{ field: 'apiVersion', message: 'is not an ExposedAPI or API of a served version' }],
    };
  }
  const r = new FieldReader();
  const source = readSource(r, raw, id, defaultNamespace);
  const spec = r.object(raw.spec, 'spec');
  if (spec === undefined) {
    if (raw.spec === undefined || raw.spec === null) r.problem('spec', 'is required');
    return { ok: false, source, problems: r.problems };
  }
  const legacy = id.kind === 'API';
  const apiName = r.string(spec.name, 'spec.name', { required: true, max: 253 });
  const apiType = readApiType(r, spec, legacy);
  const implementation = readChecked(r, spec.implementation, 'spec.implementation', checkServiceName, true);
  const path = readChecked(r, spec.path, 'spec.path', checkPath, true);
  const port = readPort(r, spec.port, legacy);
  // Components without a developer UI often write "" instead of leaving the field out.
  const developerUI =
    spec.developerUI === '' ? undefined : readChecked(r, spec.developerUI, 'spec.developerUI', checkPath, false);
  const hostname = readHostname(r, spec.hostname);
  const segment = spec.segment === undefined ? undefined : r.oneOf<Segment>(spec.segment, 'spec.segment', SEGMENTS);
  const basicAuth = r.object(spec.basicAuth, 'spec.basicAuth');
  const specification = readSpecification(r, spec.specification);
  const policies = readPolicies(r, spec);
  const extra = readExtra(r, spec);

  if (
    r.problems.length > 0 ||
    apiName === undefined ||
    apiType === undefined ||
    implementation === undefined ||
    path === undefined ||
    port === undefined
  ) {
    return { ok: false, source, problems: r.problems };
  }
  const api: ApiModel = {
    source,
    apiName,
    apiType,
    specification,
    implementation,
    path,
    port,
    policies,
    extra,
    ...(developerUI === undefined ? {} : { developerUI }),
    ...(hostname === undefined ? {} : { hostname }),
    ...(segment === undefined ? {} : { segment }),
    ...(basicAuth === undefined ? {} : { basicAuth: r.json(basicAuth, 'spec.basicAuth') as JsonObject }),
  };
  return r.problems.length > 0 ? { ok: false, source, problems: r.problems } : { ok: true, api };
}

function readApiType(r: FieldReader, spec: JsonObject, legacy: boolean): ApiType | undefined {
  const hasCurrent = spec.apiType !== undefined && spec.apiType !== null;
  const field = hasCurrent ? 'spec.apiType' : 'spec.apitype';
  const value = hasCurrent ? spec.apiType : spec.apitype;
  if (value === undefined || value === null) {
    // Legacy API objects predate the field's enforcement; they were all OpenAPI unless they said otherwise.
    return legacy ? 'openapi' : r.problem('spec.apiType', 'is required');
  }
  if (typeof value !== 'string') return r.problem(field, `must be a string, got ${show(value)}`);
  const lower = value.toLowerCase();
  const found = API_TYPES.find((t) => t === lower);
  return found ?? r.problem(field, `must be one of ${API_TYPES.join(', ')}, got ${show(value)}`);
}

function readChecked(
  r: FieldReader,
  value: unknown,
  field: string,
  check: (s: string) => string | undefined,
  required: boolean,
): string | undefined {
  const s = r.string(value, field, { required, max: 4096 });
  if (s === undefined) return undefined;
  const problem = check(s);
  return problem === undefined ? s : r.problem(field, problem);
}

function readPort(r: FieldReader, value: unknown, legacy: boolean): number | undefined {
  if (value === undefined || value === null) return r.problem('spec.port', 'is required');
  return r.integer(value, 'spec.port', { min: 1, max: 65535, lenient: legacy });
}

function readHostname(r: FieldReader, value: unknown): string | undefined {
  const s = r.string(value, 'spec.hostname', { max: 253 });
  if (s === undefined || s === '') return undefined;
  const host = s.toLowerCase();
  const problem = checkHostname(host);
  return problem === undefined ? host : r.problem('spec.hostname', problem);
}

function readExtra(r: FieldReader, spec: JsonObject): Readonly<Record<string, JsonValue>> {
  const extra: Record<string, JsonValue> = {};
  for (const key of CARRIED_FIELDS) {
    const value = r.json(spec[key], `spec.${key}`);
    if (value !== undefined) extra[key] = value;
  }
  return extra;
}
