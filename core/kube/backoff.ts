export interface BackoffOptions {
  /** First delay (default 800 ms). */
  readonly initialMs?: number;
  /** Ceiling (default 30 s). */
  readonly maxMs?: number;
  /** Growth per consecutive failure (default 2). */
  readonly factor?: number;
  /**
   * Fraction of each delay that is randomized downwards (default 0.25): a delay `d` becomes a
   * value in `(d * (1 - jitter), d]`, so bounds hold and clients that failed together spread out.
   */
  readonly jitter?: number;
  /** Uniform random number in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/** Exponential backoff with jitter over consecutive failures; `reset()` after a success. */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 800;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.25));
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0) || this.#maxMs < this.#initialMs || this.#factor < 1) {
      throw new RangeError('backoff needs 0 < initialMs <= maxMs and factor >= 1');
    }
  }

  /** Consecutive failures since the last reset. */
  get failures(): number {
    return this.#failures;
  }

  /** Records one more failure and returns how long to wait before the next attempt. */
  next(): number {
    const exponent = Math.min(this.#failures, 64);
    this.#failures += 1;
    const ceiling = Math.min(this.#maxMs, this.#initialMs * this.#factor ** exponent);
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.round(ceiling * (1 - this.#jitter * r));
  }

  reset(): void {
    this.#failures = 0;
  }
}
