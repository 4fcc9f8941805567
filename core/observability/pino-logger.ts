import { pino } from 'pino';
import type { LogLevel } from '../settings/settings.ts';
import type { Logger } from './logger.ts';

/** JSON lines on stdout: `time`, `level` (name), `msg` (constant) and lower-case keys. */
export function createLogger(level: LogLevel, bindings: Readonly<Record<string, unknown>> = {}): Logger {
  return pino({
    level,
    base: { ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
