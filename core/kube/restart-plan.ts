import type { RestartReason } from './reflector-options.ts';
import type { WatchEnd } from './watch-session.ts';

/** How one list or watch attempt ended. */
export type Attempt =
  | { readonly kind: 'watch'; readonly end: Exclude<WatchEnd, 'stopped'>; readonly events: number }
  | { readonly kind: 'failed'; readonly gone: boolean; readonly whileListing: boolean; readonly error: unknown };

export interface RestartContext {
  /** Events delivered since the last successful list (bookmarks included). */
  readonly eventsSinceList: number;
  /** Consecutive failures so far (the backoff's count). */
  readonly failures: number;
  readonly relistAfterFailures: number;
}

export interface RestartPlan {
  readonly reason: RestartReason;
  /** Wait a backoff delay first (otherwise restart at once). */
  readonly backoff: boolean;
  /** List again before watching (otherwise resume from the last resourceVersion). */
  readonly relist: boolean;
  /** The attempt proved the connection healthy: reset the backoff. */
  readonly healthy: boolean;
}

/**
 * The reflector's restart policy, as a pure function:
 * - a watch that delivered events was healthy; the server closing it resumes at once;
 * - a watch closed before any event backs off (a server or proxy that closes at once must not
 *   make us spin);
 * - 410 Gone relists, at once unless nothing arrived since the last list (then the list itself
 *   is not enough to get a usable resourceVersion, so back off) or the list failed with it;
 * - idle (a dead stream) resumes at once; the periodic relist relists at once;
 * - other failures back off, and after `relistAfterFailures` in a row relist rather than resume.
 */
export function planRestart(attempt: Attempt, context: RestartContext): RestartPlan {
  if (attempt.kind === 'watch') {
    const healthy = attempt.events > 0;
    switch (attempt.end) {
      case 'idle':
        return { reason: 'idle', backoff: false, relist: false, healthy };
      case 'relist':
        return { reason: 'relist', backoff: false, relist: true, healthy };
      case 'gone':
        return { reason: 'gone', backoff: context.eventsSinceList === 0, relist: true, healthy };
      case 'closed':
        return { reason: 'closed', backoff: !healthy, relist: false, healthy };
    }
  }
  if (attempt.gone) {
    return {
      reason: 'gone',
      backoff: attempt.whileListing || context.eventsSinceList === 0,
      relist: true,
      healthy: false,
    };
  }
  const relist = attempt.whileListing || context.failures + 1 >= context.relistAfterFailures;
  return { reason: 'error', backoff: true, relist, healthy: false };
}
