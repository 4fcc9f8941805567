/**
 * Gives memory back to the system after bursts of work.
 *
 * V8 keeps the pages its heap grew to: a start at 10 000 APIs parses every object a few times,
 * the heap grows to about twice what stays alive, and the process keeps that RSS while idle
 * (ordinary GCs shrink the heap but keep its pages). A `last-resort` major GC compacts and
 * returns free pages to the system. This runs one whenever the resident size grew by
 * `thresholdBytes` since the last trim (checked every `intervalMs`, by a timer and after each
 * reconcile), or by a quarter of that when
 * the work queue drained (`idle`): the cost is one compacting GC (a few hundred milliseconds of CPU
 * at 10 000 APIs) per `thresholdBytes` of growth, never a loop, since the reference is what
 * remains after the trim.
 *
 * Needs `gc` from `node --expose-gc` (the image's entrypoint passes it); without it the trimmer
 * does nothing.
 */
export type GcFunction = (options: {
  readonly type: 'major';
  readonly execution: 'sync';
  readonly flavor: 'last-resort';
}) => void;

export interface HeapTrimmerOptions {
  /** RSS growth since the last trim that triggers one (0: never). */
  readonly thresholdBytes: number;
  readonly intervalMs: number;
  readonly gc: GcFunction | undefined;
  readonly rss: () => number;
  readonly onTrim: (trim: { readonly beforeBytes: number; readonly afterBytes: number; readonly ms: number }) => void;
  readonly now?: () => number;
}

export class HeapTrimmer {
  readonly #o: HeapTrimmerOptions;
  readonly #now: () => number;
  #reference: number;
  #lastCheck: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HeapTrimmerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#reference = options.rss();
    this.#lastCheck = this.#now();
  }

  /** True when it can work (a threshold is set and `gc` is exposed). */
  get enabled(): boolean {
    return this.#o.thresholdBytes > 0 && this.#o.gc !== undefined;
  }

  start(): void {
    if (!this.enabled || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.check(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * A unit of work ended: checks if `intervalMs` passed since the last check. The timer alone is
   * not enough: a burst of reconciles chained by promises keeps the event loop from running
   * timers, and that is when the heap grows fastest.
   */
  poll(): boolean {
    if (this.#now() - this.#lastCheck < this.#o.intervalMs) return false;
    return this.check();
  }

  /**
   * The work is done for now (the queue drained): a quarter of the threshold is enough to trim,
   * so the memory of a burst smaller than the threshold is given back too.
   */
  idle(): boolean {
    return this.check(this.#o.thresholdBytes / 4);
  }

  /** Trims when the RSS grew past the threshold; returns whether it did. */
  check(threshold = this.#o.thresholdBytes): boolean {
    const gc = this.#o.gc;
    if (gc === undefined || this.#o.thresholdBytes <= 0) return false;
    this.#lastCheck = this.#now();
    const before = this.#o.rss();
    if (before - this.#reference < threshold) {
      // Memory given back by other means lowers the reference: growth is counted from the lowest point.
      this.#reference = Math.min(this.#reference, before);
      return false;
    }
    const started = this.#lastCheck;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const after = this.#o.rss();
    this.#reference = after;
    this.#lastCheck = this.#now();
    this.#o.onTrim({ beforeBytes: before, afterBytes: after, ms: this.#lastCheck - started });
    return true;
  }
}

/** `gc` when node runs with `--expose-gc`. */
export function exposedGc(): GcFunction | undefined {
  const candidate: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof candidate === 'function' ? (candidate as GcFunction) : undefined;
}
