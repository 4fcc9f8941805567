import { KubeApiError } from './kube-api-error.ts';
import type { KubeClient, Query } from './kube-client.ts';
import { asKubeStatus, type WatchEvent } from './raw-object.ts';
import type { Timers } from './timers.ts';

/** Why a watch session ended without throwing. */
export type WatchEnd =
  /** The server closed the stream (its `timeoutSeconds`, a restart, a proxy). */
  | 'closed'
  /** No event, not even a bookmark, for `idleTimeoutMs`: the connection is presumed dead. */
  | 'idle'
  /** The resourceVersion is too old (410 Gone): only a relist can continue. */
  | 'gone'
  /** The periodic authoritative relist is due. */
  | 'relist'
  /** The caller stopped. */
  | 'stopped';

export interface WatchSessionOptions {
  readonly client: KubeClient;
  readonly path: string;
  readonly query: Query;
  readonly idleTimeoutMs: number;
  /** When the session must end for the periodic relist (ms on the `timers` clock). */
  readonly relistAt: number;
  readonly timers: Timers;
  readonly signal: AbortSignal;
  /** Handles one ADDED/MODIFIED/DELETED/BOOKMARK event; must not throw. */
  readonly onEvent: (event: WatchEvent) => void;
}

export interface WatchSessionResult {
  readonly end: WatchEnd;
  /** Events (bookmarks included, `ERROR` excluded) delivered before the end. */
  readonly events: number;
}

/**
 * One watch request, run to its end. The idle deadline is checked lazily (one timer, re-armed
 * for the remaining time) so a busy stream does not create a timer per event. A non-410 `ERROR`
 * event or a broken stream throws a `KubeApiError`.
 */
export async function runWatchSession(options: WatchSessionOptions): Promise<WatchSessionResult> {
  const { timers, idleTimeoutMs } = options;
  const controller = new AbortController();
  let end: WatchEnd | undefined;
  const finish = (why: WatchEnd): void => {
    end ??= why;
    controller.abort();
  };
  const onStop = (): void => {
    finish('stopped');
  };
  if (options.signal.aborted) return { end: 'stopped', events: 0 };
  options.signal.addEventListener('abort', onStop, { once: true });

  let lastEventAt = timers.now();
  let cancelIdle = (): void => undefined;
  const armIdle = (ms: number): void => {
    cancelIdle = timers.schedule(() => {
      const quiet = timers.now() - lastEventAt;
      if (quiet >= idleTimeoutMs) finish('idle');
      else armIdle(idleTimeoutMs - quiet);
    }, ms);
  };
  armIdle(idleTimeoutMs);
  const cancelRelist = timers.schedule(
    () => {
      finish('relist');
    },
    Math.max(0, options.relistAt - timers.now()),
  );

  let events = 0;
  try {
    for await (const event of options.client.watch(options.path, options.query, controller.signal)) {
      lastEventAt = timers.now();
      if (event.type === 'ERROR') {
        const status = asKubeStatus(event.object);
        if (status?.code === 410 || status?.reason === 'Expired' || status?.reason === 'Gone') {
          finish('gone');
          break;
        }
        throw KubeApiError.fromResponse('WATCH', options.path, status?.code ?? 500, status ?? event.object);
      }
      events += 1;
      options.onEvent(event);
      if (end !== undefined) break;
    }
  } catch (error) {
    if (end === undefined) throw error;
  } finally {
    cancelIdle();
    cancelRelist();
    options.signal.removeEventListener('abort', onStop);
    controller.abort();
  }
  return { end: end ?? 'closed', events };
}
