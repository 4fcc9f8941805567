import type { RawSettings } from '../sdk/driver.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Which namespaces are watched: all, or those matching one of the glob patterns. */
export interface NamespaceSelector {
  readonly all: boolean;
  readonly patterns: readonly string[];
}

/** How the live operator runs: endpoint, throughput, leader election, shutdown. */
export interface RuntimeSettings {
  readonly httpPort: number;
  readonly concurrency: number;
  readonly writeQps: number;
  readonly writeBurst: number;
  readonly relistIntervalSeconds: number;
  /** RSS growth that triggers a memory-releasing GC (0: never); see `HeapTrimmer`. */
  readonly heapTrimThresholdMiB: number;
  readonly leaderElection: boolean;
  /** Undefined: the pod's own namespace, resolved at start. */
  readonly leaderElectionNamespace?: string;
  readonly leaseName: string;
  readonly leaseDurationSeconds: number;
  readonly renewDeadlineSeconds: number;
  readonly retryPeriodSeconds: number;
  readonly shutdownTimeoutSeconds: number;
}

/** The operator's validated, immutable settings. Driver settings are parsed by the driver from `raw`. */
export interface Settings {
  readonly driver: string;
  readonly namespaces: NamespaceSelector;
  readonly publicHostname?: string;
  readonly openMetricsImplementation: 'ServiceMonitor';
  readonly urlScheme: 'http' | 'https';
  readonly logLevel: LogLevel;
  readonly kubeconfig?: string;
  readonly runtime: RuntimeSettings;
  /** Every declared setting's merged raw value (core and driver keys). */
  readonly raw: RawSettings;
  /** Where each raw value came from, e.g. `env APIOPERATORISTIO_PUBLICHOSTNAME`. */
  readonly origins: Readonly<Record<string, string>>;
}

/** True when `namespace` is selected. Patterns use `*` (any run) and `?` (one character). */
export function namespaceSelected(selector: NamespaceSelector, namespace: string): boolean {
  return selector.all || selector.patterns.some((p) => compiledGlob(p).test(namespace));
}

/**
 * Compiled once per pattern: every object of every list and watch event goes through
 * `namespaceSelected` (60 000 calls on a start at 10 000 APIs). Patterns come from the settings,
 * so the cache stays as small as the setting.
 */
const compiledGlobs = new Map<string, RegExp>();

function compiledGlob(glob: string): RegExp {
  let re = compiledGlobs.get(glob);
  if (re === undefined) {
    re = globToRegExp(glob);
    compiledGlobs.set(glob, re);
  }
  return re;
}

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()|[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
