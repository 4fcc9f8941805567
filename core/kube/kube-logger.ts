/**
 * The logger the Kubernetes access layer writes to: pino-compatible (fields first, then a
 * constant message), injected so tests can record it and production can pass a child logger.
 */
export interface KubeLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: KubeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A log field for a thrown value: message and, for API errors, status code and reason. */
export function errorFields(error: unknown): { err: string; statusCode?: number; reason?: string } {
  if (!(error instanceof Error)) return { err: String(error) };
  const fields: { err: string; statusCode?: number; reason?: string } = { err: error.message };
  if ('statusCode' in error && typeof error.statusCode === 'number') fields.statusCode = error.statusCode;
  if ('reason' in error && typeof error.reason === 'string') fields.reason = error.reason;
  return fields;
}
