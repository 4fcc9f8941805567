import { createHash } from 'node:crypto';

/** Canonical JSON: object keys sorted, so two encodings of one value are one text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A short digest of a JSON value (SHA-1 of its canonical JSON, base64): equal values, equal digests. */
export function jsonDigest(value: unknown): string {
  return createHash('sha1').update(canonicalJson(value)).digest('base64');
}
