import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import { Subject, asyncScheduler, catchError, defer, from, of, take } from 'rxjs';

/** What one unit of work concluded about its key. */
export type WorkResult =
  | { readonly type: 'done' }
  /** Retry with per-key exponential backoff. */
  | { readonly type: 'retry'; readonly error: unknown }
  /** Nothing a retry can fix (bad spec): wait for the next change. */
  | { readonly type: 'terminal'; readonly error: unknown }
  /** Look again later, without counting a failure (waiting on the outside world). */
  | { readonly type: 'requeue'; readonly afterMs: number };

export interface WorkOutcome {
  readonly key: string;
  readonly result: WorkResult;
  readonly durationMs: number;
  /** Time the key waited between being added and its work starting. */
  readonly queuedMs: number;
  /** Consecutive failures of this key, after this attempt. */
  readonly failures: number;
}

export interface WorkQueueOptions {
  /** Units of work in flight at once, over all keys. */
  readonly concurrency: number;
  /** Per-key backoff after a failure: `baseMs * 2^(failures-1)`, capped at `maxMs`, plus jitter. */
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly scheduler?: SchedulerLike;
  /** Source of jitter in [0, 1); up to +20% of the delay. */
  readonly random?: () => number;
}

export type Work = (key: string) => Observable<WorkResult> | Promise<WorkResult>;

/**
 * A keyed work queue: bursts for one key coalesce, one unit of work per key is in flight at a
 * time, keys back off exponentially on failure, and a global limit bounds concurrency. A key added
 * while its work runs runs again right after. Time comes from an RxJS scheduler (virtual in tests).
 */
export class WorkQueue {
  readonly #work: Work;
  readonly #opts: WorkQueueOptions;
  readonly #scheduler: SchedulerLike;
  readonly #random: () => number;
  readonly #order: string[] = [];
  readonly #queued = new Map<string, number>();
  readonly #inFlight = new Set<string>();
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, Subscription>();
  readonly #failures = new Map<string, number>();
  readonly #outcomes = new Subject<WorkOutcome>();
  #head = 0;
  #stopped = false;

  readonly outcomes$: Observable<WorkOutcome> = this.#outcomes.asObservable();

  constructor(work: Work, options: WorkQueueOptions) {
    this.#work = work;
    this.#opts = options;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#random = options.random ?? Math.random;
  }

  /** Keys waiting to run (not counting delayed retries or work in flight). */
  get depth(): number {
    return this.#queued.size;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Nothing queued and nothing running (delayed retries aside): the work of the moment is done. */
  get idle(): boolean {
    return this.#queued.size === 0 && this.#inFlight.size === 0;
  }

  get delayed(): number {
    return this.#delayed.size;
  }

  /** Asks for `key` to be looked at again. */
  add(key: string): void {
    if (this.#stopped) return;
    if (this.#inFlight.has(key)) {
      this.#dirty.add(key);
      return;
    }
    this.#delayed.get(key)?.unsubscribe();
    this.#delayed.delete(key);
    if (!this.#queued.has(key)) {
      this.#queued.set(key, this.#scheduler.now());
      this.#order.push(key);
    }
    this.#pump();
  }

  /** Stops taking work and waits up to `timeoutMs` for work in flight; returns keys still running. */
  async stop(timeoutMs: number): Promise<readonly string[]> {
    this.#stopped = true;
    for (const s of this.#delayed.values()) s.unsubscribe();
    this.#delayed.clear();
    this.#queued.clear();
    this.#order.length = 0;
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = [...this.#inFlight];
    for (const s of this.#subscriptions.values()) s.unsubscribe();
    this.#subscriptions.clear();
    this.#inFlight.clear();
    this.#outcomes.complete();
    return left;
  }

  #pump(): void {
    while (this.#inFlight.size < this.#opts.concurrency && this.#head < this.#order.length) {
      const key = this.#order[this.#head];
      this.#head += 1;
      const queuedAt = key === undefined ? undefined : this.#queued.get(key);
      if (key === undefined || queuedAt === undefined) continue;
      this.#queued.delete(key);
      this.#start(key, queuedAt);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #start(key: string, queuedAt: number): void {
    const startedAt = this.#scheduler.now();
    this.#inFlight.add(key);
    const run = { finished: false };
    const subscription = defer(() => from(this.#work(key)))
      .pipe(
        take(1),
        catchError((error: unknown) => of<WorkResult>({ type: 'retry', error })),
      )
      .subscribe({
        next: (result) => {
          run.finished = true;
          this.#finish(key, result, startedAt - queuedAt, this.#scheduler.now() - startedAt);
        },
        complete: () => {
          if (!run.finished)
            this.#finish(
              key,
              { type: 'retry', error: new Error('work completed without a result') },
              startedAt - queuedAt,
              0,
            );
        },
      });
    if (!run.finished) this.#subscriptions.set(key, subscription);
  }

  #finish(key: string, result: WorkResult, queuedMs: number, durationMs: number): void {
    if (!this.#inFlight.has(key)) return;
    this.#inFlight.delete(key);
    this.#subscriptions.delete(key);
    const failures = result.type === 'retry' ? (this.#failures.get(key) ?? 0) + 1 : 0;
    if (failures > 0) this.#failures.set(key, failures);
    else this.#failures.delete(key);
    this.#outcomes.next({ key, result, durationMs, queuedMs, failures });
    if (this.#stopped) return;
    if (this.#dirty.delete(key)) {
      this.add(key);
    } else if (result.type === 'retry') {
      this.#later(key, this.#backoffMs(failures));
    } else if (result.type === 'requeue') {
      this.#later(key, result.afterMs);
    }
    this.#pump();
  }

  #backoffMs(failures: number): number {
    const { baseMs, maxMs } = this.#opts.backoff;
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(delay * (1 + 0.2 * this.#random()));
  }

  #later(key: string, delayMs: number): void {
    this.#delayed.get(key)?.unsubscribe();
    const s = this.#scheduler.schedule(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, s);
  }
}
