const SETTINGS_ERROR = Symbol.for('oda-api-operator.SettingsError');

/**
 * A bad setting: stops the operator at start (exit code 2) with a message naming the setting.
 * `instanceof SettingsError` also recognizes errors made by another copy of the SDK (a driver
 * package that bundles its own), so a driver's bad setting is always reported as one.
 */
export class SettingsError extends Error {
  /** The setting's key, e.g. `componentGateway`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`invalid setting ${setting}: ${message}`);
    this.name = 'SettingsError';
    this.setting = setting;
    Object.defineProperty(this, SETTINGS_ERROR, { value: true });
  }

  /** True for a SettingsError of any copy of the SDK. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && SETTINGS_ERROR in value;
  }
}

/**
 * A failure that retrying cannot fix (bad spec, bad settings): set a condition and stop.
 * Anything else thrown during a reconcile is treated as retryable.
 */
export class TerminalError extends Error {
  /** CamelCase reason for the condition. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
    this.reason = reason;
  }
}
