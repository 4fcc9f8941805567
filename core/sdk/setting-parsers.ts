import { checkHostname } from '../model/syntax.ts';
import { SettingsError } from './errors.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A reference `name` or `namespace/name` to a namespaced object such as a Gateway. */
export interface ObjectRef {
  readonly namespace?: string;
  readonly name: string;
}

/** Parses `name` or `namespace/name`; throws `SettingsError` naming `key`. */
export function parseObjectRef(key: string, value: string): ObjectRef {
  const parts = value.split('/');
  const [first, second] = parts;
  const valid =
    (parts.length === 1 && first !== undefined && DNS1123_SUBDOMAIN.test(first) && first.length <= 253) ||
    (parts.length === 2 &&
      first !== undefined &&
      second !== undefined &&
      DNS1123_LABEL.test(first) &&
      first.length <= 63 &&
      DNS1123_SUBDOMAIN.test(second) &&
      second.length <= 253);
  if (!valid) {
    throw new SettingsError(
      key,
      `must be "name" or "namespace/name" of lower-case DNS names, got ${JSON.stringify(value)}`,
    );
  }
  return second === undefined ? { name: value } : { namespace: first, name: second };
}

/** `name` or `namespace/name`. */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace === undefined ? ref.name : `${ref.namespace}/${ref.name}`;
}

/** Parses an equality label selector `k=v[,k2=v2]`; throws `SettingsError` naming `key`. */
export function parseLabelSelector(key: string, value: string): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (eq <= 0 || !LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) {
      throw new SettingsError(key, `must be a label selector "key=value[,key=value]", got ${JSON.stringify(value)}`);
    }
    out[k] = v;
  }
  return out;
}

/** A DNS host name, optionally `*.`-prefixed, lower-cased; throws `SettingsError` naming `key`. */
export function parseHostname(key: string, value: string): string {
  const host = value.trim().toLowerCase();
  const problem = checkHostname(host);
  if (problem !== undefined) throw new SettingsError(key, `${problem}, got ${JSON.stringify(value)}`);
  return host;
}

/** A Kubernetes resource name such as an IngressClass; throws `SettingsError` naming `key`. */
export function parseResourceName(key: string, value: string): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw new SettingsError(key, `must be a lower-case DNS-1123 name, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The trimmed value of `key`, which must be set (a declaration default normally guarantees it). */
export function required(raw: Readonly<Record<string, string | undefined>>, key: string): string {
  const value = raw[key];
  if (value === undefined || value.trim() === '') throw new SettingsError(key, 'is required');
  return value.trim();
}
