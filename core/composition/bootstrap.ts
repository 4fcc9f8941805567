import { parseArgs } from 'node:util';
import { Container, ContainerModule } from 'inversify';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { mergeSettings } from '../settings/load-settings.ts';
import type { SettingSources } from '../settings/load-settings.ts';
import { CORE_SETTINGS } from '../settings/core-settings.ts';
import { parseCoreSettings } from '../settings/parse-core.ts';
import type { Settings } from '../settings/settings.ts';
import { Driver } from '../sdk/driver.ts';
import type { SettingDeclaration } from '../sdk/driver.ts';
import { SettingsError } from '../sdk/errors.ts';
import { isJsonObject } from '../sdk/json.ts';
import { ActiveDriver } from '../translate/active-driver.ts';
import type { DriverCatalogEntry } from './driver-catalog.ts';
import { BUILTIN_DRIVERS } from './driver-catalog.ts';
import { DriverRegistry } from './driver-registry.ts';
import { MODULE_PREFIX, loadModuleDriver } from './module-driver.ts';

export const SettingsToken = Symbol.for('oda-api-operator.Settings');

/**
 * Every declared setting: the core's, then each catalog driver's. A declaration whose key, flag or
 * environment variable an earlier one already uses is left out (an out-of-tree driver, first in
 * the catalog, wins over the built-in drivers).
 */
export function allDeclarations(catalog: readonly DriverCatalogEntry[] = BUILTIN_DRIVERS): SettingDeclaration[] {
  const taken = new Set<string>();
  const out: SettingDeclaration[] = [];
  for (const d of [...CORE_SETTINGS, ...catalog.flatMap((e) => e.settings)]) {
    const names = [`key ${d.key}`, `flag ${d.flag}`, ...d.env.map((e) => `env ${e}`)];
    if (names.some((n) => taken.has(n))) continue;
    for (const n of names) taken.add(n);
    out.push(d);
  }
  return out;
}

export interface Bootstrapped {
  readonly settings: Settings;
  readonly active: ActiveDriver;
  readonly container: Container;
}

export interface BootstrapOptions {
  /** Directory a `module:` driver path is relative to (default: the working directory). */
  readonly cwd?: string;
}

/**
 * The composition root: validates settings, loads only the configured driver's module (a built-in
 * one, or an out-of-tree one named `module:<package or file>`), parses the driver's settings and
 * binds what the operator needs. Throws `SettingsError` on bad settings or a bad driver module.
 */
export async function bootstrap(
  sources: SettingSources,
  catalog: readonly DriverCatalogEntry[] = BUILTIN_DRIVERS,
  options: BootstrapOptions = {},
): Promise<Bootstrapped> {
  const selected = await selectCatalog(sources, catalog, options.cwd ?? process.cwd());
  const merged = mergeSettings(allDeclarations(selected.catalog), sources);
  const raw = selected.external === undefined ? merged.raw : { ...merged.raw, driver: selected.external };
  const settings = withOrigins(merged.origins, () =>
    parseCoreSettings(
      raw,
      merged.origins,
      selected.catalog.map((e) => e.id),
    ),
  );
  const entry = selected.catalog.find((e) => e.id === settings.driver);
  if (entry === undefined) throw new SettingsError('driver', `unknown driver ${settings.driver}`);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(await entry.load());
  const registry = new DriverRegistry(container.getAll<Driver>(Driver, { optional: true }));
  const driver = registry.get(settings.driver);
  if (driver === undefined)
    throw new SettingsError('driver', `module of driver ${settings.driver} registered no driver of that id`);
  const active: ActiveDriver = {
    driver,
    settings: withOrigins(settings.origins, () => Object.freeze(driver.parseSettings(settings.raw))),
  };
  container.bind(SettingsToken).toConstantValue(settings);
  container.bind(DriverRegistry).toConstantValue(registry);
  container.bind(ActiveDriver).toConstantValue(active);
  return { settings, active, container };
}

/**
 * The setting declarations a command line accepts: the core's, the built-in drivers', and those of
 * the out-of-tree driver that `--driver`, the environment or the config file (`--config`) names.
 */
export async function settingDeclarations(
  args: readonly string[],
  io: Pick<SettingSources, 'env' | 'readFile'>,
  cwd: string = process.cwd(),
): Promise<SettingDeclaration[]> {
  const { values } = parseArgs({
    args: [...args],
    options: { driver: { type: 'string' }, config: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const sources: SettingSources = {
    flags: typeof values.driver === 'string' ? { driver: values.driver } : {},
    env: io.env,
    readFile: io.readFile,
    ...(typeof values.config === 'string' ? { configFile: values.config } : {}),
  };
  return allDeclarations((await selectCatalog(sources, BUILTIN_DRIVERS, cwd)).catalog);
}

/** The catalog to choose from: the built-in drivers, preceded by the out-of-tree one the settings name. */
async function selectCatalog(
  sources: SettingSources,
  catalog: readonly DriverCatalogEntry[],
  cwd: string,
): Promise<{ catalog: readonly DriverCatalogEntry[]; external?: string }> {
  const driverDeclaration = CORE_SETTINGS.filter((d) => d.key === 'driver');
  const chosen = mergeSettings(driverDeclaration, {
    ...sources,
    readFile: (path) => driverKeyOnly(sources.readFile(path)),
  });
  const value = chosen.raw.driver?.trim() ?? '';
  if (!value.startsWith(MODULE_PREFIX)) return { catalog };
  const driver = await withOriginsAsync(chosen.origins, () => loadModuleDriver(value.slice(MODULE_PREFIX.length), cwd));
  if (catalog.some((e) => e.id === driver.id)) {
    throw relabel(
      new SettingsError(
        'driver',
        `module ${value.slice(MODULE_PREFIX.length)} has the id of a built-in driver: ${driver.id}`,
      ),
      chosen.origins,
    );
  }
  const entry: DriverCatalogEntry = {
    id: driver.id,
    description: driver.description,
    settings: driver.settings,
    load: () =>
      Promise.resolve(
        new ContainerModule(({ bind }) => {
          bind<Driver>(Driver).toConstantValue(driver);
        }),
      ),
  };
  return { catalog: [entry, ...catalog], external: driver.id };
}

/** The config file reduced to its `driver` key, so keys of a driver not loaded yet are no error. */
function driverKeyOnly(text: string): string {
  try {
    const doc: unknown = parseYaml(text);
    return isJsonObject(doc) && doc.driver !== undefined ? stringifyYaml({ driver: doc.driver }) : '';
  } catch {
    return ''; // reported by the full read that follows
  }
}

/** Adds to a settings error where the bad value came from (`env LOGGING`). */
function relabel(error: unknown, origins: Readonly<Record<string, string>>): unknown {
  const origin = error instanceof SettingsError ? origins[error.setting] : undefined;
  if (!(error instanceof SettingsError) || origin === undefined || origin === 'default') return error;
  const detail = error.message.replace(/^invalid setting [^:]+: /, '');
  return new SettingsError(`${error.setting} (${origin})`, detail);
}

/** Runs a parser, adding to any settings error where the bad value came from. */
function withOrigins<T>(origins: Readonly<Record<string, string>>, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw relabel(error, origins);
  }
}

async function withOriginsAsync<T>(origins: Readonly<Record<string, string>>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw relabel(error, origins);
  }
}
