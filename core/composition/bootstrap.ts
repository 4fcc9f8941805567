import { Container } from 'inversify';
import { mergeSettings } from '../settings/load-settings.ts';
import type { SettingSources } from '../settings/load-settings.ts';
import { CORE_SETTINGS } from '../settings/core-settings.ts';
import { parseCoreSettings } from '../settings/parse-core.ts';
import type { Settings } from '../settings/settings.ts';
import { Driver } from '../sdk/driver.ts';
import type { SettingDeclaration } from '../sdk/driver.ts';
import { SettingsError } from '../sdk/errors.ts';
import { ActiveDriver } from '../translate/active-driver.ts';
import type { DriverCatalogEntry } from './driver-catalog.ts';
import { BUILTIN_DRIVERS } from './driver-catalog.ts';
import { DriverRegistry } from './driver-registry.ts';

export const SettingsToken = Symbol.for('oda-api-operator.Settings');

/** Every declared setting: the core's and each built-in driver's (keys shared by drivers appear once). */
export function allDeclarations(catalog: readonly DriverCatalogEntry[] = BUILTIN_DRIVERS): SettingDeclaration[] {
  const byKey = new Map<string, SettingDeclaration>();
  for (const d of [...CORE_SETTINGS, ...catalog.flatMap((e) => e.settings)]) {
    if (!byKey.has(d.key)) byKey.set(d.key, d);
  }
  return [...byKey.values()];
}

export interface Bootstrapped {
  readonly settings: Settings;
  readonly active: ActiveDriver;
  readonly container: Container;
}

/**
 * The composition root: validates settings, loads only the configured driver's module, parses the
 * driver's settings and binds what the operator needs. Throws `SettingsError` on bad settings.
 */
export async function bootstrap(
  sources: SettingSources,
  catalog: readonly DriverCatalogEntry[] = BUILTIN_DRIVERS,
): Promise<Bootstrapped> {
  const merged = mergeSettings(allDeclarations(catalog), sources);
  const settings = withOrigins(merged.origins, () =>
    parseCoreSettings(
      merged.raw,
      merged.origins,
      catalog.map((e) => e.id),
    ),
  );
  const entry = catalog.find((e) => e.id === settings.driver);
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

/** Runs a parser, adding to any settings error where the bad value came from (`env LOGGING`). */
function withOrigins<T>(origins: Readonly<Record<string, string>>, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const origin = error instanceof SettingsError ? origins[error.setting] : undefined;
    if (!(error instanceof SettingsError) || origin === undefined || origin === 'default') throw error;
    const detail = error.message.replace(/^invalid setting [^:]+: /, '');
    throw new SettingsError(`${error.setting} (${origin})`, detail);
  }
}
