import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ContainerModule } from 'inversify';
import { bootstrap } from '../../composition/bootstrap.ts';
import type { Bootstrapped } from '../../composition/bootstrap.ts';
import type { DriverCatalogEntry } from '../../composition/driver-catalog.ts';
import { Driver } from '../driver.ts';
import type { RawSettings } from '../driver.ts';

/** A catalog holding just the driver under test, whatever its origin. */
function catalogOf(driver: Driver): DriverCatalogEntry[] {
  return [
    {
      id: driver.id,
      description: driver.description,
      settings: driver.settings,
      load: () =>
        Promise.resolve(
          new ContainerModule(({ bind }) => {
            bind<Driver>(Driver).toConstantValue(driver);
          }),
        ),
    },
  ];
}

/**
 * The operator's composition root run for `driver`, with `settings` as flags over the declared
 * defaults (keys no declaration knows are ignored). Throws `SettingsError` as the operator would.
 */
export function bootstrapDriver(driver: Driver, settings: RawSettings = {}): Promise<Bootstrapped> {
  const flags = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return bootstrap({ flags: { ...flags, driver: driver.id }, env: {}, readFile: () => '' }, catalogOf(driver));
}

/** Root of the installed oda-api-operator package (works from sources and from `dist/`). */
export function packageRoot(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'oda-api-operator'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error('conformance kit: cannot find the oda-api-operator package root');
  }
}
