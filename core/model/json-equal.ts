/**
 * Structural equality of JSON values, blind to object key order (the API server returns custom
 * resources with keys sorted, never in the order they were written).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  if (keys.length !== Object.keys(bo).filter((k) => bo[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

/**
 * True when every field of `wanted` is present in `actual` with an equal value; arrays must have
 * the same length and match element-wise. Extra fields in `actual` (server defaults, fields other
 * managers own) are ignored: this is how drift of an applied object is judged.
 */
export function jsonContains(actual: unknown, wanted: unknown): boolean {
  if (wanted === actual) return true;
  if (typeof wanted !== 'object' || wanted === null || typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(wanted) || Array.isArray(actual)) {
    if (!Array.isArray(wanted) || !Array.isArray(actual) || wanted.length !== actual.length) return false;
    return wanted.every((item, i) => jsonContains(actual[i], item));
  }
  const a = actual as Record<string, unknown>;
  return Object.entries(wanted as Record<string, unknown>).every(
    ([k, v]) => v === undefined || (Object.hasOwn(a, k) && jsonContains(a[k], v)),
  );
}
