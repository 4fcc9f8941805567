import type { SettingDeclaration } from '../sdk/driver.ts';
import { SDK_VERSION } from '../sdk/version.ts';

const DRIVER_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const API_VERSION =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const PLURAL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SETTING_KEY = /^[a-z][A-Za-z0-9]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FLAG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;
const METHODS = ['parseSettings', 'translate', 'addressSource', 'routeClaim'] as const;

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : typeof value);

/**
 * What keeps `value` from being a usable driver, in words (empty when it is one): the checks the
 * operator makes on an out-of-tree driver before using it, and the conformance kit's first test.
 * `reserved` are the core's setting declarations, whose keys, flags and variables a driver may not reuse.
 */
export function driverProblems(value: unknown, reserved: readonly SettingDeclaration[]): string[] {
  if (!isFields(value)) return [`a driver must be an object, got ${value === null ? 'null' : typeof value}`];
  const problems: string[] = [];
  const { id } = value;
  if (typeof id !== 'string' || !DRIVER_ID.test(id) || id.length > 40) {
    problems.push(`id must be a kebab-case name of at most 40 characters, got ${show(id)}`);
  }
  if (typeof value.description !== 'string') problems.push('description must be a string');
  problems.push(...ownedKindProblems(value.ownedKinds), ...settingProblems(value.settings, reserved));
  for (const method of METHODS) {
    if (typeof value[method] !== 'function') problems.push(`${method} must be a function`);
  }
  if (value.routeConditions !== undefined && typeof value.routeConditions !== 'function') {
    problems.push('routeConditions must be a function when present');
  }
  problems.push(...sdkVersionProblems(value.sdkVersion));
  return problems;
}

function ownedKindProblems(kinds: unknown): string[] {
  if (!Array.isArray(kinds) || kinds.length === 0) return ['ownedKinds must be a non-empty array'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, k] of (kinds as unknown[]).entries()) {
    const at = `ownedKinds[${i}]`;
    if (!isFields(k)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    if (typeof k.apiVersion !== 'string' || !API_VERSION.test(k.apiVersion))
      problems.push(`${at}.apiVersion must be "group/version" or "v1", got ${show(k.apiVersion)}`);
    if (typeof k.kind !== 'string' || !KIND.test(k.kind))
      problems.push(`${at}.kind must be PascalCase, got ${show(k.kind)}`);
    if (typeof k.plural !== 'string' || !PLURAL.test(k.plural) || k.plural.length > 63)
      problems.push(`${at}.plural must be a lower-case resource name, got ${show(k.plural)}`);
    if (k.optional !== undefined && typeof k.optional !== 'boolean') problems.push(`${at}.optional must be a boolean`);
    const key = `${String(k.apiVersion)}/${String(k.kind)}`;
    if (seen.has(key)) problems.push(`${at} repeats ${key}`);
    seen.add(key);
  }
  return problems;
}

function settingProblems(settings: unknown, reserved: readonly SettingDeclaration[]): string[] {
  if (!Array.isArray(settings)) return ['settings must be an array of setting declarations'];
  const problems: string[] = [];
  const taken = new Map<string, string>();
  for (const d of reserved) {
    taken.set(`key ${d.key}`, 'the core');
    taken.set(`flag --${d.flag}`, 'the core');
    for (const e of d.env) taken.set(`variable ${e}`, 'the core');
  }
  for (const [i, d] of (settings as unknown[]).entries()) {
    const at = `settings[${i}]`;
    if (!isFields(d)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    const env: unknown[] = Array.isArray(d.env) ? (d.env as unknown[]) : [];
    if (typeof d.key !== 'string' || !SETTING_KEY.test(d.key))
      problems.push(`${at}.key must be camelCase, got ${show(d.key)}`);
    if (typeof d.flag !== 'string' || !FLAG.test(d.flag))
      problems.push(`${at}.flag must be kebab-case, got ${show(d.flag)}`);
    if (!Array.isArray(d.env) || env.length === 0 || !env.every((e) => typeof e === 'string' && ENV_NAME.test(e)))
      problems.push(`${at}.env must be a non-empty array of environment variable names`);
    if (typeof d.description !== 'string') problems.push(`${at}.description must be a string`);
    if (d.default !== undefined && typeof d.default !== 'string') problems.push(`${at}.default must be a string`);
    const names = [`key ${String(d.key)}`, `flag --${String(d.flag)}`, ...env.map((e) => `variable ${String(e)}`)];
    for (const name of names) {
      const owner = taken.get(name);
      if (owner !== undefined) problems.push(`${at}: ${name} is already used by ${owner}`);
      taken.set(name, at);
    }
  }
  return problems;
}

function sdkVersionProblems(version: unknown): string[] {
  if (version === undefined) return [];
  const wanted = typeof version === 'string' ? SEMVER.exec(version) : null;
  if (wanted === null) return [`sdkVersion must be a semantic version, got ${show(version)}`];
  const [, major = '', minor = ''] = SEMVER.exec(SDK_VERSION) ?? [];
  const [, wantedMajor = '', wantedMinor = ''] = wanted;
  if (wantedMajor !== major || Number(wantedMinor) > Number(minor)) {
    return [`built for SDK ${wanted[0]}, this operator provides SDK ${SDK_VERSION}`];
  }
  return [];
}
