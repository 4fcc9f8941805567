/**
 * Read-your-writes on top of a watch cache: what this process just wrote (or deleted) is seen by
 * the next reconcile even before the watch delivers it, so a quick second look does not repeat the
 * write. An entry is dropped as soon as the cache holds that version or a newer one.
 */
export class Overlay<T extends { readonly resourceVersion: string }> {
  readonly #entries = new Map<string, { value: T | undefined; rv: string }>();

  set(id: string, value: T): void {
    this.#entries.set(id, { value, rv: value.resourceVersion });
  }

  deleted(id: string, rv: string): void {
    this.#entries.set(id, { value: undefined, rv });
  }

  /**
   * The watch delivered `id` at `rv` (a change, or a deletion of that version): an entry no newer
   * than that is stale. Without this, an object written here and then deleted by someone else
   * before any read saw the write in the cache would be read from the overlay forever.
   * Returns true when `rv` is exactly the version this process wrote: the echo of its own write.
   */
  observed(id: string, rv: string): boolean {
    const entry = this.#entries.get(id);
    if (entry !== undefined && !newer(entry.rv, rv)) this.#entries.delete(id);
    return entry?.value !== undefined && entry.rv === rv;
  }

  /** The freshest view of `id` given the cache's current value. */
  read(id: string, cached: T | undefined): T | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return cached;
    if (entry.value === undefined) {
      // Deleted here: hide the cached copy until the watch reports the deletion, unless the object
      // was created again since (a newer version).
      if (cached !== undefined && newer(cached.resourceVersion, entry.rv)) {
        this.#entries.delete(id);
        return cached;
      }
      if (cached === undefined) this.#entries.delete(id);
      return undefined;
    }
    if (cached !== undefined && !newer(entry.rv, cached.resourceVersion)) {
      this.#entries.delete(id);
      return cached;
    }
    return entry.value;
  }

  ids(): IterableIterator<string> {
    return this.#entries.keys();
  }
}

/** True when resourceVersion `a` is strictly newer than `b` (etcd revisions; opaque ones: never). */
export function newer(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length > b.length : a > b;
}
