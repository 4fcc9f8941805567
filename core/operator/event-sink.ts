import type { Logger } from '../observability/logger.ts';

export interface EventSinkOptions {
  /** Events waiting to be written at most; beyond, new ones are dropped (and counted). */
  readonly maxQueue: number;
  /** Event writes in flight at once. */
  readonly concurrency: number;
  readonly logger: Logger;
  /**
   * True while more urgent writes are waiting (reconciles queued or running): Normal Events then
   * wait, at most `maxDeferMs`, so routes and statuses are written first. Warnings never wait.
   */
  readonly busy?: () => boolean;
  /**
   * Longest wait of a Normal Event behind busy reconciles (default 2 min: a start at 10 000 APIs
   * takes about 80 s here; Events carry the time they happened, so waiting does not misdate them).
   */
  readonly maxDeferMs?: number;
  readonly now?: () => number;
}

interface Pending {
  readonly write: () => Promise<void>;
  readonly urgent: boolean;
  readonly at: number;
}

/**
 * Writes Events off the reconcile path: a reconcile never waits for an Event, and a burst of
 * Events (ten thousand routes created at start) is written at a bounded pace or, past a bound,
 * dropped with a count in the log, the way Kubernetes' own event recorders behave. Normal Events
 * yield to pending reconciles (`busy`): on a start at 10 000 APIs they are written once the
 * routes and statuses are, instead of competing with them for the API server.
 */
export class EventSink {
  readonly #o: EventSinkOptions;
  readonly #queue: Pending[] = [];
  #running = 0;
  #dropped = 0;
  #idle: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing = false;

  constructor(options: EventSinkOptions) {
    this.#o = options;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Events waiting to be written. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Events waiting or being written. */
  get pending(): number {
    return this.#queue.length + this.#running;
  }

  enqueue(write: () => Promise<void>, urgent = false): void {
    if (this.#queue.length >= this.#o.maxQueue) {
      this.#dropped += 1;
      if (this.#dropped === 1 || this.#dropped % 1000 === 0)
        this.#o.logger.warn({ dropped: this.#dropped }, 'event queue full; events dropped');
      return;
    }
    const pending = { write, urgent, at: this.#now() };
    // Urgent Events go before every deferred one, in their own order.
    const firstDeferred = urgent ? this.#queue.findIndex((p) => !p.urgent) : -1;
    if (firstDeferred >= 0) this.#queue.splice(firstDeferred, 0, pending);
    else this.#queue.push(pending);
    this.#pump();
  }

  /** Writes what may now be written (call when the reconciles went idle). */
  resume(): void {
    this.#pump();
  }

  /** Stops the deferral timer (Events still queued are written by `flush`, or dropped). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #now(): number {
    return this.#o.now?.() ?? performance.now();
  }

  #mayWrite(next: Pending): boolean {
    if (next.urgent || this.#flushing || this.#o.busy?.() !== true) return true;
    return this.#now() - next.at >= (this.#o.maxDeferMs ?? 120_000);
  }

  #pump(): void {
    while (this.#running < this.#o.concurrency && this.#queue.length > 0) {
      const next = this.#queue[0];
      if (next === undefined || !this.#mayWrite(next)) break;
      this.#queue.shift();
      this.#running += 1;
      next
        .write()
        .catch((error: unknown) => {
          this.#o.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'event not recorded');
        })
        .finally(() => {
          this.#running -= 1;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
    // Deferred Events: look again every second (their deadline, or idle reconciles, frees them).
    if (this.#queue.length > 0 && this.#running === 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => {
        if (this.#queue.length === 0) this.stop();
        else this.#pump();
      }, 1000);
      this.#timer.unref();
    }
  }

  /** Waits until every queued Event is written, or `timeoutMs` passed. */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return;
    // Nothing is deferred any more: whatever is queued is written now.
    this.#flushing = true;
    this.#pump();
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
