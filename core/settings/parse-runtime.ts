import { SettingsError } from '../sdk/errors.ts';
import { checkNamespace, checkObjectName } from '../model/syntax.ts';
import type { RawSettings } from '../sdk/driver.ts';
import type { RuntimeSettings } from './settings.ts';

function integer(raw: RawSettings, key: string, min: number, max: number): number {
  const text = (raw[key] ?? '').trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingsError(key, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw[key] ?? '')}`);
  }
  return n;
}

function boolean(raw: RawSettings, key: string): boolean {
  const text = (raw[key] ?? '').trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new SettingsError(key, `must be true or false, got ${JSON.stringify(raw[key] ?? '')}`);
}

export function parseRuntimeSettings(raw: RawSettings, driver: string): RuntimeSettings {
  const leaseDurationSeconds = integer(raw, 'leaseDurationSeconds', 2, 3600);
  const renewDeadlineSeconds = integer(raw, 'renewDeadlineSeconds', 1, 3600);
  const retryPeriodSeconds = integer(raw, 'retryPeriodSeconds', 1, 600);
  if (renewDeadlineSeconds >= leaseDurationSeconds) {
    throw new SettingsError('renewDeadlineSeconds', `must be less than leaseDurationSeconds (${leaseDurationSeconds})`);
  }
  if (retryPeriodSeconds >= renewDeadlineSeconds) {
    throw new SettingsError('retryPeriodSeconds', `must be less than renewDeadlineSeconds (${renewDeadlineSeconds})`);
  }
  const namespace = raw.leaderElectionNamespace?.trim();
  if (namespace) {
    const problem = checkNamespace(namespace);
    if (problem !== undefined) throw new SettingsError('leaderElectionNamespace', problem);
  }
  const givenName = raw.leaseName?.trim() ?? '';
  const leaseName = givenName === '' ? `oda-api-operator-${driver}` : givenName;
  const nameProblem = checkObjectName(leaseName);
  if (nameProblem !== undefined) throw new SettingsError('leaseName', nameProblem);
  return {
    httpPort: integer(raw, 'httpPort', 0, 65535),
    concurrency: integer(raw, 'concurrency', 1, 1000),
    writeQps: integer(raw, 'writeQps', 1, 100_000),
    writeBurst: integer(raw, 'writeBurst', 1, 100_000),
    relistIntervalSeconds: integer(raw, 'relistIntervalSeconds', 10, 86_400),
    heapTrimThresholdMiB: integer(raw, 'heapTrimThresholdMiB', 0, 65_536),
    leaderElection: boolean(raw, 'leaderElection'),
    leaseName,
    leaseDurationSeconds,
    renewDeadlineSeconds,
    retryPeriodSeconds,
    shutdownTimeoutSeconds: integer(raw, 'shutdownTimeoutSeconds', 0, 3600),
    ...(namespace ? { leaderElectionNamespace: namespace } : {}),
  };
}
