import { existsSync, readFileSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver } from '../sdk/driver.ts';
import { SettingsError } from '../sdk/errors.ts';
import { CORE_SETTINGS } from '../settings/core-settings.ts';
import { driverProblems } from './driver-contract.ts';

/** `driver: module:<package or file>` names an out-of-tree driver. */
export const MODULE_PREFIX = 'module:';

const SDK_SPECIFIER = 'oda-api-operator/sdk';
let sdkShared = false;

/**
 * Makes `import 'oda-api-operator/sdk'` in any module resolve to this operator's own SDK, so an
 * out-of-tree driver needs no copy of the operator in its node_modules, and shares one SDK
 * instance (classes, constants) with the core.
 */
function shareSdk(): void {
  if (sdkShared) return;
  sdkShared = true;
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`../sdk/index${extension}`, import.meta.url).href;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier === SDK_SPECIFIER ? { url, shortCircuit: true } : nextResolve(specifier, context),
  });
}

/**
 * A file path (relative to `cwd`) or `file:` URL as a URL, a package directory as the URL of its
 * entry (`exports`, else `main`, else `index.js`); a package name as it is.
 */
function importTarget(specifier: string, cwd: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return specifier;
  const path = resolve(cwd, specifier);
  return pathToFileURL(existsSync(path) && statSync(path).isDirectory() ? packageEntry(path) : path).href;
}

function packageEntry(dir: string): string {
  const manifest = join(dir, 'package.json');
  const pkg: unknown = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : {};
  const fields = typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>) : {};
  return join(dir, entryOf(fields.exports) ?? (typeof fields.main === 'string' ? fields.main : 'index.js'));
}

/** The `.` entry of an `exports` field for an ESM import: a string, or `import`/`node`/`default`. */
function entryOf(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return entryOf(map['.']);
  for (const condition of ['import', 'node', 'default']) {
    const found = entryOf(map[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Imports an out-of-tree driver: a package installed in the operator's node_modules
 * (`@vendor/oda-driver-x`), a package directory or a file (`/app/drivers/node_modules/@vendor/x`,
 * `./my-driver.js`; relative paths from `cwd`). Its default export, else its `driver` export,
 * must implement the driver contract. Throws a one-line `SettingsError` (setting `driver`) when the
 * module cannot be loaded or what it exports is not a driver.
 */
export async function loadModuleDriver(specifier: string, cwd: string): Promise<Driver> {
  if (specifier.trim() === '') throw new SettingsError('driver', 'module: needs a package name or a file path');
  shareSdk();
  let exports: Record<string, unknown>;
  try {
    exports = (await import(importTarget(specifier, cwd))) as Record<string, unknown>;
  } catch (error) {
    throw new SettingsError('driver', `cannot load module ${specifier}: ${firstLine(error)}`);
  }
  const candidate = exports.default ?? exports.driver;
  if (candidate === undefined) {
    throw new SettingsError(
      'driver',
      `module ${specifier} exports no driver (a default export or an export named driver)`,
    );
  }
  const problems = driverProblems(candidate, CORE_SETTINGS);
  if (problems.length > 0) {
    throw new SettingsError('driver', `module ${specifier} is not a valid driver: ${problems.join('; ')}`);
  }
  return candidate as Driver;
}
