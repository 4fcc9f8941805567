import { KubeApiError } from './kube-api-error.ts';
import { MalformedWatchLine } from './watch-stream.ts';
import type { Timers } from './timers.ts';

/** An abort signal that fires when the caller's signal does or when `ms` elapse, whichever is first. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  readonly callerAborted: boolean;
  /** Cancels the timer and unlinks from the caller's signal. */
  dispose(): void;
}

export function withDeadline(timers: Timers, caller: AbortSignal | undefined, ms: number): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => {
    controller.abort(caller?.reason);
  };
  if (caller?.aborted === true) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  const cancel = timers.schedule(() => {
    timedOut = true;
    controller.abort(new Error(`no complete answer within ${ms} ms`));
  }, ms);
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    get callerAborted() {
      return caller?.aborted === true;
    },
    dispose: () => {
      cancel();
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Normalizes whatever a call threw into a `KubeApiError` (status 0 when no answer arrived). */
export function callFailure(error: unknown, verb: string, path: string, deadline: Deadline | undefined): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (deadline?.callerAborted === true) return KubeApiError.fromNetwork(verb, path, 'Aborted', error);
  if (deadline?.timedOut === true) return KubeApiError.fromNetwork(verb, path, 'Timeout', error);
  if (error instanceof MalformedWatchLine) return KubeApiError.fromNetwork(verb, path, 'InvalidResponse', error);
  return KubeApiError.fromNetwork(verb, path, 'NetworkError', error);
}
