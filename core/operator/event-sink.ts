import type { Logger } from '../observability/logger.ts';

export interface EventSinkOptions {
  /** Events waiting to be written at most; beyond, new ones are dropped (and counted). */
  readonly maxQueue: number;
  /** Event writes in flight at once. */
  readonly concurrency: number;
  readonly logger: Logger;
}

/**
 * Writes Events off the reconcile path: a reconcile never waits for an Event, and a burst of
 * Events (ten thousand routes created at start) is written at a bounded pace or, past a bound,
 * dropped with a count in the log, the way Kubernetes' own event recorders behave.
 */
export class EventSink {
  readonly #o: EventSinkOptions;
  readonly #queue: (() => Promise<void>)[] = [];
  #running = 0;
  #dropped = 0;
  #idle: (() => void)[] = [];

  constructor(options: EventSinkOptions) {
    this.#o = options;
  }

  get dropped(): number {
    return this.#dropped;
  }

  enqueue(write: () => Promise<void>): void {
    if (this.#queue.length >= this.#o.maxQueue) {
      this.#dropped += 1;
      if (this.#dropped === 1 || this.#dropped % 1000 === 0)
        this.#o.logger.warn({ dropped: this.#dropped }, 'event queue full; events dropped');
      return;
    }
    this.#queue.push(write);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#o.concurrency && this.#queue.length > 0) {
      const write = this.#queue.shift();
      if (write === undefined) break;
      this.#running += 1;
      write()
        .catch((error: unknown) => {
          this.#o.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'event not recorded');
        })
        .finally(() => {
          this.#running -= 1;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }

  /** Waits until every queued Event is written, or `timeoutMs` passed. */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
