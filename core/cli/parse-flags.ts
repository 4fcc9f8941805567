import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { SettingDeclaration } from '../sdk/driver.ts';
import { UsageError } from './cli-io.ts';

export interface ParsedFlags {
  /** Setting values by key. */
  readonly settings: Readonly<Record<string, string>>;
  /** Command-specific options by name. */
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses command options plus one `--<flag> <value>` per declared setting; unknown flags are errors. */
export function parseFlags(
  args: readonly string[],
  commandOptions: ParseArgsOptionsConfig,
  declarations: readonly SettingDeclaration[],
): ParsedFlags {
  const options: ParseArgsOptionsConfig = { ...commandOptions };
  for (const d of declarations) options[d.flag] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
  const settings: Record<string, string> = {};
  for (const d of declarations) {
    const value = parsed.values[d.flag];
    if (typeof value === 'string') settings[d.key] = value;
  }
  const rest: Record<string, string | boolean | string[] | undefined> = {};
  for (const name of Object.keys(commandOptions)) {
    const value = parsed.values[name];
    rest[name] = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : value;
  }
  return { settings, options: rest, positionals: parsed.positionals };
}
