import type { Driver } from '../sdk/driver.ts';

/** The drivers contributed to the container; empty when none was loaded. */
export class DriverRegistry {
  readonly #drivers: ReadonlyMap<string, Driver>;

  constructor(drivers: readonly Driver[]) {
    this.#drivers = new Map(drivers.map((d) => [d.id, d]));
  }

  get(id: string): Driver | undefined {
    return this.#drivers.get(id);
  }

  ids(): readonly string[] {
    return [...this.#drivers.keys()];
  }
}
