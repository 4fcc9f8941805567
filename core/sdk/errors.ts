/** A bad setting: stops the operator at start with a message naming the setting. */
export class SettingsError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`invalid setting ${setting}: ${message}`);
    this.name = 'SettingsError';
    this.setting = setting;
  }
}

/**
 * A failure that retrying cannot fix (bad spec, bad settings): set a condition and stop.
 * Anything else thrown during a reconcile is treated as retryable.
 */
export class TerminalError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
    this.reason = reason;
  }
}
