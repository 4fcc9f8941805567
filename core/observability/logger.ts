/**
 * The structured logger the core uses: a constant message plus lower-case keys (`object`,
 * `driver`, `reason`, ...). pino loggers satisfy it; tests pass a recording one.
 */
export interface Logger {
  trace(fields: Readonly<Record<string, unknown>>, message: string): void;
  debug(fields: Readonly<Record<string, unknown>>, message: string): void;
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}

export const Logger = Symbol.for('oda-api-operator.Logger');

/** A logger that drops everything. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
