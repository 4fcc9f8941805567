import type { KubeLogger } from '../../core/kube/kube-logger.ts';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: object;
  readonly message: string;
}

/** A `KubeLogger` that keeps what it is given, for assertions. */
export function recordingLogger(): KubeLogger & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (fields: object, message: string): void => {
      records.push({ level, fields, message });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
