/** Syntax rules of Kubernetes names, HTTP paths and host names. Pure predicates returning a reason or undefined. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Object names (`metadata.name`): a DNS-1123 subdomain. */
export function checkObjectName(name: string): string | undefined {
  if (name.length > 253) return `must be at most 253 characters, got ${name.length}`;
  const ok = name.split('.').every((label) => label.length <= 63 && DNS1123_LABEL.test(label));
  return ok ? undefined : 'must be a lower-case DNS-1123 subdomain (a-z, 0-9, "-" and ".")';
}

/** Namespaces: a DNS-1123 label. */
export function checkNamespace(name: string): string | undefined {
  if (name.length > 63) return `must be at most 63 characters, got ${name.length}`;
  return DNS1123_LABEL.test(name) ? undefined : 'must be a lower-case DNS-1123 label (a-z, 0-9 and "-")';
}

/** Service names: a DNS-1035 label. */
export function checkServiceName(name: string): string | undefined {
  if (name.length > 63) return `must be a Service name of at most 63 characters, got ${name.length}`;
  return DNS1035_LABEL.test(name)
    ? undefined
    : 'must be a valid Service name (DNS-1035 label: lower-case a-z, 0-9 and "-", starting with a letter)';
}

// Path characters accepted on every gateway: unreserved characters, "/", ":", "@" and %-escapes.
// Regex metacharacters, spaces, quotes, "?" and "#" never reach a gateway.
const PATH_CHARS = /^(?:[A-Za-z0-9\-._~/:@]|%[0-9A-Fa-f]{2})*$/;
const MAX_PATH = 1024;

/** Gateway path prefixes (`spec.path`, `spec.developerUI`). */
export function checkPath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path.length > MAX_PATH) return `must be at most ${MAX_PATH} characters, got ${path.length}`;
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'must not contain control characters';
  if (!PATH_CHARS.test(path)) {
    return 'may contain only letters, digits, "-", ".", "_", "~", ":", "@", "%XX" escapes and "/"';
  }
  if (path.includes('//')) return 'must not contain an empty segment ("//")';
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." segments';
  if (/%(2e|2f|5c)/i.test(path)) return 'must not contain escaped ".", "/" or "\\" (%2E, %2F, %5C)';
  return undefined;
}

/** Public host names: a DNS name, optionally with a leading `*.` wildcard label. */
export function checkHostname(host: string): string | undefined {
  if (host.length > 253) return `must be at most 253 characters, got ${host.length}`;
  const labels = host.startsWith('*.') ? host.slice(2).split('.') : host.split('.');
  const ok = labels.every((label) => label.length <= 63 && DNS1123_LABEL.test(label));
  return ok ? undefined : 'must be a lower-case DNS name (labels of a-z, 0-9 and "-", optionally starting with "*.")';
}

/** True when prefix `a` covers `b` at a `/` boundary (or they are equal): `/a` covers `/a/b`, not `/ab`. */
export function prefixCovers(a: string, b: string): boolean {
  if (a === b) return true;
  const base = a.endsWith('/') ? a : `${a}/`;
  return b.startsWith(base);
}
