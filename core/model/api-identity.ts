import type { ApiKind, ApiSource } from '../sdk/api-model.ts';
import { EXPOSED_API_GROUP, EXPOSED_API_VERSIONS, LEGACY_API_GROUP, LEGACY_API_VERSIONS } from '../sdk/api-model.ts';
import type { JsonObject } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import type { FieldReader } from './field-reader.ts';
import { checkNamespace, checkObjectName } from './syntax.ts';

/** Which API kind an object is, from its `apiVersion` and `kind`; undefined for any other object. */
export function apiKindOf(raw: unknown): { kind: ApiKind; group: ApiSource['group']; version: string } | undefined {
  if (!isJsonObject(raw)) return undefined;
  const { apiVersion, kind } = raw;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const [group, version, ...rest] = apiVersion.split('/');
  if (version === undefined || rest.length > 0) return undefined;
  if (group === EXPOSED_API_GROUP && kind === 'ExposedAPI' && includes(EXPOSED_API_VERSIONS, version)) {
    return { kind: 'ExposedAPI', group, version };
  }
  if (group === LEGACY_API_GROUP && (kind === 'API' || kind === 'api') && includes(LEGACY_API_VERSIONS, version)) {
    return { kind: 'API', group, version };
  }
  return undefined;
}

function includes(list: readonly string[], value: string): boolean {
  return list.includes(value);
}

/** Best-effort name of an object for messages, even when its metadata is broken. */
export function displayIdentity(raw: JsonObject, defaultNamespace: string): { namespace: string; name: string } {
  const meta = isJsonObject(raw.metadata) ? raw.metadata : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name.slice(0, 253) : '<unnamed>';
  const namespace =
    typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace.slice(0, 63) : defaultNamespace;
  return { namespace, name };
}

/** Reads `metadata` into an ApiSource, reporting bad names and labels. */
export function readSource(
  r: FieldReader,
  raw: JsonObject,
  id: { kind: ApiKind; group: ApiSource['group']; version: string },
  defaultNamespace: string,
): ApiSource {
  const shown = displayIdentity(raw, defaultNamespace);
  const meta = r.object(raw.metadata, 'metadata') ?? {};
  const name = r.string(meta.name, 'metadata.name', { required: true, max: 253 });
  const nameProblem = name === undefined ? undefined : checkObjectName(name);
  if (nameProblem !== undefined) r.problem('metadata.name', nameProblem);
  const namespace = r.string(meta.namespace, 'metadata.namespace', { max: 63 }) ?? defaultNamespace;
  const nsProblem = checkNamespace(namespace);
  if (nsProblem !== undefined) r.problem('metadata.namespace', nsProblem);
  const source: ApiSource = {
    kind: id.kind,
    group: id.group,
    version: id.version,
    namespace: shown.namespace,
    name: shown.name,
    labels: readLabels(r, meta.labels),
  };
  return { ...source, ...optionalMeta(meta), ...componentOwner(meta) };
}

function readLabels(r: FieldReader, value: unknown): Readonly<Record<string, string>> {
  const labels = r.object(value, 'metadata.labels');
  if (labels === undefined) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(labels)) {
    if (typeof v === 'string') out[key] = v;
    else r.problem(`metadata.labels[${JSON.stringify(key.slice(0, 63))}]`, 'must be a string');
  }
  return out;
}

function optionalMeta(meta: JsonObject): Partial<Pick<ApiSource, 'uid' | 'generation' | 'creationTimestamp'>> {
  const out: { uid?: string; generation?: number; creationTimestamp?: string } = {};
  if (typeof meta.uid === 'string') out.uid = meta.uid;
  if (typeof meta.generation === 'number') out.generation = meta.generation;
  if (typeof meta.creationTimestamp === 'string') out.creationTimestamp = meta.creationTimestamp;
  return out;
}

function componentOwner(meta: JsonObject): Pick<ApiSource, 'component'> | Record<string, never> {
  const refs: readonly unknown[] = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
  const owner = refs.find(
    (ref) =>
      isJsonObject(ref) &&
      ref.kind === 'Component' &&
      typeof ref.apiVersion === 'string' &&
      ref.apiVersion.startsWith(`${EXPOSED_API_GROUP}/`),
  );
  if (!isJsonObject(owner) || typeof owner.name !== 'string' || typeof owner.uid !== 'string') return {};
  return { component: { name: owner.name, uid: owner.uid } };
}
