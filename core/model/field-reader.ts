import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import type { Problem } from './problems.ts';
import { show } from './problems.ts';

const MAX_DEPTH = 32;

/** Reads typed fields from untrusted JSON, collecting one problem per bad field instead of throwing. */
export class FieldReader {
  readonly problems: Problem[] = [];

  problem(field: string, message: string): undefined {
    this.problems.push({ field, message });
    return undefined;
  }

  object(value: unknown, field: string): JsonObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (isJsonObject(value)) return value;
    return this.problem(field, `must be an object, got ${show(value)}`);
  }

  string(value: unknown, field: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    if (value === undefined || value === null) {
      return opts.required === true ? this.problem(field, 'is required') : undefined;
    }
    if (typeof value !== 'string') return this.problem(field, `must be a string, got ${show(value)}`);
    if (opts.required === true && value.trim() === '') return this.problem(field, 'must not be empty');
    const max = opts.max ?? 4096;
    if (value.length > max) return this.problem(field, `must be at most ${max} characters, got ${value.length}`);
    return value;
  }

  /** Booleans, also written as the strings "true"/"false" by hand-made manifests. */
  boolean(value: unknown, field: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problem(field, `must be a boolean, got ${show(value)}`);
    return fallback;
  }

  /** A whole number in [min, max]; digit strings are accepted only when `lenient`. */
  integer(value: unknown, field: string, range: { min: number; max: number; lenient?: boolean }): number | undefined {
    const parsed =
      typeof value === 'string' && range.lenient === true && /^\d{1,10}$/.test(value) ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed)) {
      return this.problem(field, `must be an integer from ${range.min} to ${range.max}, got ${show(value)}`);
    }
    if (parsed < range.min || parsed > range.max) {
      return this.problem(field, `must be an integer from ${range.min} to ${range.max}, got ${parsed}`);
    }
    return parsed;
  }

  /** A string or number rendered as a string (limits such as `"100"` or `100`). */
  scalarString(value: unknown, field: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.string(value, field, { max: 256 });
  }

  /** A comma-separated list, also accepted as an array of strings. */
  csv(value: unknown, field: string, fallback: readonly string[]): readonly string[] {
    if (value === undefined || value === null) return fallback;
    if (Array.isArray(value)) {
      const items: string[] = [];
      value.forEach((item, i) => {
        const s = this.string(item, `${field}[${i}]`, { max: 1024 });
        if (s !== undefined && s.trim() !== '') items.push(s.trim());
      });
      return items;
    }
    const s = this.string(value, field, { max: 8192 });
    if (s === undefined) return fallback;
    return s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    const s = this.string(value, field);
    if (s === undefined) return undefined;
    const found = allowed.find((a) => a === s);
    return found ?? this.problem(field, `must be one of ${allowed.join(', ')}, got ${show(s)}`);
  }

  /** Any JSON value, refused when nested deeper than a sane bound. */
  json(value: unknown, field: string): JsonValue | undefined {
    if (value === undefined) return undefined;
    return depthOf(value, 0) > MAX_DEPTH
      ? this.problem(field, `is nested deeper than ${MAX_DEPTH} levels`)
      : (value as JsonValue);
  }
}

function depthOf(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return depth;
  if (Array.isArray(value)) {
    return value.reduce<number>((max, item) => Math.max(max, depthOf(item, depth + 1)), depth);
  }
  if (isJsonObject(value)) {
    return Object.values(value).reduce<number>((max, item) => Math.max(max, depthOf(item, depth + 1)), depth);
  }
  return depth;
}
