/** Polls until a condition holds, with a bound: the harness never sleeps a fixed time. */
export interface WaitOptions {
  /** What is awaited, for the error message. */
  readonly description: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until it returns a value other than `undefined` and returns that value. A probe
 * that throws counts as "not yet" (its last error is quoted on timeout), except when it throws a
 * `StopWaiting`, which aborts the wait at once.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${cause}`, {
        cause: lastError,
      });
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/** Thrown by a probe to end a wait early (e.g. the process being waited on has exited). */
export class StopWaiting extends Error {
  override readonly name = 'StopWaiting';
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
