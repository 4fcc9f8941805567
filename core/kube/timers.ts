/**
 * The clock and timers of the Kubernetes access layer, as a parameter: production uses the real
 * ones, tests pass a virtual clock and never sleep.
 */
export interface Timers {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Runs `fn` once after `ms`; returns a function that cancels it (idempotent). */
  schedule(fn: () => void, ms: number): () => void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  schedule: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return () => {
      clearTimeout(handle);
    };
  },
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(abortReason(signal));
    };
    const cancel = timers.schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('aborted', 'AbortError');
}
