import { readFileSync } from 'node:fs';

/** The package version, read from package.json next to the sources or the compiled files. */
export function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (
        typeof pkg === 'object' &&
        pkg !== null &&
        'name' in pkg &&
        pkg.name === 'oda-api-operator' &&
        'version' in pkg
      ) {
        return String(pkg.version);
      }
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0-unknown';
}
