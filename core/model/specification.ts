import type { ApiSpecificationRef } from '../sdk/api-model.ts';
import { isJsonObject } from '../sdk/json.ts';
import type { FieldReader } from './field-reader.ts';
import { show } from './problems.ts';

const MAX_URL = 2048;
const MAX_ITEMS = 64;

/**
 * `spec.specification` in every shape any version has used: one URL string (legacy), an array of
 * URL strings (v1beta3), an array of `{url, version}` (v1beta4) or one `{url, version}` (v1).
 */
export function readSpecification(r: FieldReader, value: unknown): readonly ApiSpecificationRef[] {
  const field = 'spec.specification';
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) {
      r.problem(field, `must have at most ${MAX_ITEMS} entries, got ${value.length}`);
      return [];
    }
    return value.flatMap((item, i) => readOne(r, item, `${field}[${i}]`) ?? []);
  }
  const one = readOne(r, value, field);
  return one ? [one] : [];
}

function readOne(r: FieldReader, value: unknown, field: string): ApiSpecificationRef | undefined {
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined; // seed-era objects wrote "" for "no document"
    const url = r.string(value, field, { required: true, max: MAX_URL });
    return url === undefined ? undefined : { url };
  }
  if (isJsonObject(value)) {
    const url = r.string(value.url, `${field}.url`, { required: true, max: MAX_URL });
    const version = r.scalarString(value.version, `${field}.version`);
    if (url === undefined) return undefined;
    return version === undefined || version === '' ? { url } : { url, version };
  }
  return r.problem(field, `must be a URL string or an object {url, version}, got ${show(value)}`);
}
