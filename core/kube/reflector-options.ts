import type { BackoffOptions } from './backoff.ts';
import type { KubeClient } from './kube-client.ts';
import type { KubeLogger } from './kube-logger.ts';
import type { KubeRawObject } from './raw-object.ts';
import type { ResourceType } from './resource-type.ts';
import type { Timers } from './timers.ts';

/**
 * Why a reflector restarted its watch (label of a restart metric):
 * - `idle`: no event, not even a bookmark, for `idleTimeoutMs` (dead stream);
 * - `gone`: 410, the resourceVersion expired: relisted;
 * - `error`: a failed list or watch (backoff applies);
 * - `closed`: the server ended the stream (normal after its `timeoutSeconds`);
 * - `relist`: the periodic authoritative relist.
 */
export type RestartReason = 'idle' | 'gone' | 'error' | 'closed' | 'relist';

export interface ReflectorRestart {
  readonly reason: RestartReason;
  /** Milliseconds waited before the next attempt (0 when immediate). */
  readonly delayMs: number;
  readonly error?: unknown;
}

export interface ReflectorOptions<T> {
  readonly client: KubeClient;
  readonly resourceType: ResourceType;
  /** Reduces an object to what the core needs; only this is cached. Should not throw. */
  readonly project: (raw: KubeRawObject) => T;
  /** Objects it rejects are treated as absent. */
  readonly filter?: (raw: KubeRawObject) => boolean;
  /** Watch one namespace; undefined = all namespaces (or a cluster-scoped kind). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Items per list page (default 500). */
  readonly pageSize?: number;
  /**
   * List by streaming (a watch with `sendInitialEvents`, the API server's WatchList) when the
   * server can (default true): objects arrive one per line from the watch cache instead of pages
   * parsed whole. A server that refuses it (400/422: older than 1.27, or the feature off) is
   * listed in pages from then on.
   */
  readonly streamingLists?: boolean;
  /** Restart a watch that delivered nothing for this long (default 70 s; bookmarks come about every minute). */
  readonly idleTimeoutMs?: number;
  /** Authoritative relist period (default 10 min). */
  readonly relistIntervalMs?: number;
  /** Server-side watch timeout, drawn uniformly from [min, max] seconds per watch (default 300–600). */
  readonly watchTimeoutSeconds?: { readonly min: number; readonly max: number };
  /** Reconnect backoff (default 0.8 s doubling to 30 s, jitter). */
  readonly backoff?: BackoffOptions;
  /** Consecutive watch failures after which the reflector relists instead of resuming (default 5). */
  readonly relistAfterFailures?: number;
  readonly random?: () => number;
  readonly timers?: Timers;
  readonly logger?: KubeLogger;
}

export interface ReflectorSettings {
  readonly pageSize: number;
  readonly streamingLists: boolean;
  readonly idleTimeoutMs: number;
  readonly relistIntervalMs: number;
  readonly watchTimeoutSeconds: { readonly min: number; readonly max: number };
  readonly relistAfterFailures: number;
  readonly random: () => number;
}

export function reflectorSettings(options: ReflectorOptions<unknown>): ReflectorSettings {
  const settings: ReflectorSettings = {
    pageSize: options.pageSize ?? 500,
    streamingLists: options.streamingLists ?? true,
    idleTimeoutMs: options.idleTimeoutMs ?? 70_000,
    relistIntervalMs: options.relistIntervalMs ?? 600_000,
    watchTimeoutSeconds: options.watchTimeoutSeconds ?? { min: 300, max: 600 },
    relistAfterFailures: options.relistAfterFailures ?? 5,
    random: options.random ?? Math.random,
  };
  const { min, max } = settings.watchTimeoutSeconds;
  if (
    !(settings.pageSize >= 1) ||
    !(settings.idleTimeoutMs > 0) ||
    !(settings.relistIntervalMs > 0) ||
    !(min >= 1 && max >= min)
  ) {
    throw new RangeError(
      'reflector: pageSize >= 1, idleTimeoutMs > 0, relistIntervalMs > 0 and 1 <= watch timeout min <= max',
    );
  }
  return settings;
}
