import type { EventInput } from './ports.ts';

/**
 * Remembers the last warning per API so a failure that repeats on every retry is reported once,
 * and again only when it changes or after the API recovered.
 */
export class EventDeduplicator {
  readonly #lastWarning = new Map<string, string>();

  /** True when `event` should be emitted for `key`. */
  shouldEmit(key: string, event: EventInput): boolean {
    if (event.type === 'Normal') return true;
    const id = `${event.reason}\u0000${event.message}`;
    if (this.#lastWarning.get(key) === id) return false;
    this.#lastWarning.set(key, id);
    return true;
  }

  /** The API is healthy again (or gone): its next failure is news. */
  clear(key: string): void {
    this.#lastWarning.delete(key);
  }
}
