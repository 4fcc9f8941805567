import { parse as parseYaml } from 'yaml';
import type { RawSettings, SettingDeclaration } from '../sdk/driver.ts';
import { SettingsError } from '../sdk/errors.ts';
import { isJsonObject } from '../sdk/json.ts';

export interface SettingSources {
  /** Values of setting flags by key (already parsed from the command line). */
  readonly flags: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path of the YAML config file (`--config`), if any. */
  readonly configFile?: string;
  readonly readFile: (path: string) => string;
}

export interface MergedSettings {
  readonly raw: RawSettings;
  readonly origins: Readonly<Record<string, string>>;
}

/** Merges, lowest to highest: declaration defaults, the config file, the environment, flags. */
export function mergeSettings(declarations: readonly SettingDeclaration[], sources: SettingSources): MergedSettings {
  const file =
    sources.configFile === undefined ? {} : readConfigFile(sources.configFile, declarations, sources.readFile);
  const raw: Record<string, string | undefined> = {};
  const origins: Record<string, string> = {};
  for (const d of declarations) {
    const envName = d.env.find((name) => nonEmpty(sources.env[name]));
    const [value, origin] =
      sources.flags[d.key] !== undefined
        ? [sources.flags[d.key], `flag --${d.flag}`]
        : envName !== undefined
          ? [sources.env[envName], `env ${envName}`]
          : file[d.key] !== undefined
            ? [file[d.key], `config file ${sources.configFile ?? ''}`]
            : [d.default, 'default'];
    if (value !== undefined) {
      raw[d.key] = value;
      origins[d.key] = origin;
    }
  }
  return { raw: Object.freeze(raw), origins: Object.freeze(origins) };
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/** Reads the YAML config file: a mapping of declared keys to scalars or lists of scalars. */
export function readConfigFile(
  path: string,
  declarations: readonly SettingDeclaration[],
  readFile: (path: string) => string,
): Record<string, string> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new SettingsError('config', `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new SettingsError('config', `${path} is not valid YAML: ${first}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isJsonObject(doc)) throw new SettingsError('config', `${path} must hold a mapping of settings`);
  const known = new Set(declarations.map((d) => d.key));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!known.has(key)) {
      throw new SettingsError(key, `unknown setting in config file ${path}; known: ${[...known].sort().join(', ')}`);
    }
    const text = scalarText(value);
    if (text === undefined)
      throw new SettingsError(key, `in config file ${path} must be a scalar or a list of scalars`);
    if (value !== null) out[key] = text;
  }
  return out;
}

function scalarText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map(String).join(',');
  }
  return undefined;
}
