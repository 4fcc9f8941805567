import { sleep, type Timers } from './timers.ts';

export interface TokenBucketOptions {
  /** Sustained rate, in tokens per second. */
  readonly qps: number;
  /** Capacity: how many tokens can be spent at once after a quiet period. */
  readonly burst: number;
  readonly timers: Timers;
}

/**
 * A client-side rate limit that makes callers wait instead of failing. Each `take` reserves a
 * token at once (the balance may go negative) and sleeps until that token has accrued, so
 * waiters are served in arrival order without a queue.
 */
export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #timers: Timers;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.qps > 0) || !(options.burst >= 1)) {
      throw new RangeError(`token bucket needs qps > 0 and burst >= 1 (got ${options.qps}, ${options.burst})`);
    }
    this.#qps = options.qps;
    this.#burst = options.burst;
    this.#timers = options.timers;
    this.#tokens = options.burst;
    this.#updatedAt = options.timers.now();
  }

  /** Reserves one token; returns how many milliseconds to wait before using it. */
  reserve(): number {
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#qps) * 1000;
  }

  /** Waits for a token. When `signal` aborts first, the token is given back and the wait rejects. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait <= 0) return;
    try {
      await sleep(this.#timers, wait, signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }

  /** Tokens available now (negative while callers wait). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  #refill(): void {
    const now = this.#timers.now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#qps);
  }
}
