import type { Timers } from '../../core/kube/timers.ts';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Lets promise callbacks and stream I/O settle (one macrotask turn, twice). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A virtual clock for the `Timers` parameter: nothing fires until the test advances time, so
 * timeouts of minutes are tested in microseconds and without sleeps.
 */
export class VirtualTimers implements Timers {
  #now = 0;
  #seq = 0;
  #pending: Pending[] = [];

  now(): number {
    return this.#now;
  }

  schedule(fn: () => void, ms: number): () => void {
    const timer: Pending = { at: this.#now + Math.max(0, ms), seq: (this.#seq += 1), fn, cancelled: false };
    this.#pending.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingCount(): number {
    return this.#pending.filter((timer) => !timer.cancelled).length;
  }

  /** Delays of the live timers from now, ascending. */
  pendingDelays(): number[] {
    return this.#live()
      .map((timer) => timer.at - this.#now)
      .sort((a, b) => a - b);
  }

  /** Moves the clock forward by `ms`, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#live().find((timer) => timer.at <= target);
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.at);
      next.cancelled = true;
      next.fn();
      await settle();
    }
    this.#now = target;
    this.#pending = this.#live();
  }

  /** Advances exactly to the next live timer (fires it). */
  async advanceToNext(): Promise<number> {
    await settle();
    const next = this.#live()[0];
    if (next === undefined) throw new Error('no timer pending');
    const delay = next.at - this.#now;
    await this.advance(delay);
    return delay;
  }

  #live(): Pending[] {
    return this.#pending.filter((timer) => !timer.cancelled).sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
}
