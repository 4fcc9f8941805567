import type { Driver } from '../sdk/driver.ts';

/** The driver the settings chose, with its parsed settings. */
export interface ActiveDriver {
  readonly driver: Driver;
  readonly settings: unknown;
}

export const ActiveDriver = Symbol.for('oda-api-operator.ActiveDriver');
