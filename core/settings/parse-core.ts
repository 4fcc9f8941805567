import { SettingsError } from '../sdk/errors.ts';
import { parseHostname } from '../sdk/setting-parsers.ts';
import { parseRuntimeSettings } from './parse-runtime.ts';
import type { LogLevel, NamespaceSelector, Settings } from './settings.ts';

const NAMESPACE_GLOB = /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/;
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const ALIASES: Readonly<Record<string, LogLevel>> = { warning: 'warn', critical: 'fatal', notset: 'trace' };

export function parseNamespaces(value: string): NamespaceSelector {
  const patterns = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (patterns.length === 0) throw new SettingsError('namespaces', 'must name at least one namespace or "*"');
  for (const p of patterns) {
    if (p.length > 63 || !NAMESPACE_GLOB.test(p)) {
      throw new SettingsError('namespaces', `${JSON.stringify(p)} is not a namespace name or glob`);
    }
  }
  return { all: patterns.includes('*'), patterns };
}

/** Level names, or Python `logging` numbers as the ODA Canvas charts set them (`LOGGING=20`). */
export function parseLogLevel(value: string): LogLevel {
  const v = value.trim().toLowerCase();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 50) throw new SettingsError('logLevel', `numeric level must be 0 to 50, got ${n}`);
    return n <= 5 ? 'trace' : n <= 10 ? 'debug' : n <= 20 ? 'info' : n <= 30 ? 'warn' : n <= 40 ? 'error' : 'fatal';
  }
  const level = LEVELS.find((l) => l === v) ?? ALIASES[v];
  if (level === undefined) {
    throw new SettingsError('logLevel', `unknown level ${JSON.stringify(value)}; use ${LEVELS.join(', ')} or 10-50`);
  }
  return level;
}

export function parseOpenMetrics(value: string): 'ServiceMonitor' {
  const v = value.trim();
  if (v.toLowerCase() === 'servicemonitor') return 'ServiceMonitor';
  if (['prometheusannotation', 'datadogannotation'].includes(v.toLowerCase())) {
    throw new SettingsError('openMetricsImplementation', `${v} is not supported yet; use ServiceMonitor`);
  }
  throw new SettingsError('openMetricsImplementation', `unknown mode ${JSON.stringify(v)}; use ServiceMonitor`);
}

export function parseScheme(value: string): 'http' | 'https' {
  const v = value.trim().toLowerCase();
  if (v === 'http' || v === 'https') return v;
  throw new SettingsError('urlScheme', `must be http or https, got ${JSON.stringify(value)}`);
}

export function parseCoreSettings(
  raw: Settings['raw'],
  origins: Settings['origins'],
  knownDrivers: readonly string[],
): Settings {
  const driver = (raw.driver ?? '').trim();
  if (!knownDrivers.includes(driver)) {
    throw new SettingsError('driver', `unknown driver ${JSON.stringify(driver)}; known: ${knownDrivers.join(', ')}`);
  }
  const publicHostname = raw.publicHostname?.trim();
  const kubeconfig = raw.kubeconfig?.trim();
  return {
    driver,
    namespaces: parseNamespaces(raw.namespaces ?? ''),
    openMetricsImplementation: parseOpenMetrics(raw.openMetricsImplementation ?? ''),
    urlScheme: parseScheme(raw.urlScheme ?? ''),
    logLevel: parseLogLevel(raw.logLevel ?? ''),
    runtime: parseRuntimeSettings(raw, driver),
    raw,
    origins,
    ...(publicHostname ? { publicHostname: parseHostname('publicHostname', publicHostname) } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
  };
}
