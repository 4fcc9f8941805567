import { Subject, type Observable } from 'rxjs';
import { errorFields, type KubeLogger } from './kube-logger.ts';
import { isKubeRawObject, type WatchEvent } from './raw-object.ts';
import { keyOf, ReflectorStore, type CacheChange, type StoreFunctions } from './reflector-store.ts';

/** The pass over one list's items: what they contained decides what the relist deletes. */
export interface ListPass {
  add(item: unknown): void;
  /** Deletes every cached object the list did not contain. */
  finish(): void;
}

/**
 * The store plus its change stream: applies list items and watch events, emits each change
 * after the store holds it, and contains failures of one object (malformed, or a projection or
 * filter that throws) to a log line.
 */
export class ReflectorCache<T> {
  readonly changes$: Observable<CacheChange<T>>;
  readonly store: ReflectorStore<T>;
  readonly #changes = new Subject<CacheChange<T>>();
  readonly #logger: KubeLogger;
  readonly #fields: object;
  readonly #defaults: { apiVersion: string; kind: string };

  constructor(
    fns: StoreFunctions<T>,
    logger: KubeLogger,
    fields: object,
    defaults: { apiVersion: string; kind: string },
  ) {
    this.store = new ReflectorStore(fns);
    this.#logger = logger;
    this.#fields = fields;
    this.#defaults = defaults;
    this.changes$ = this.#changes.asObservable();
  }

  beginList(): ListPass {
    const seen = new Set<string>();
    return {
      add: (item) => {
        if (!isKubeRawObject(item)) {
          this.#logger.warn({ ...this.#fields }, 'skipping a malformed object in a list');
          return;
        }
        // List items come without apiVersion and kind; watch events carry them.
        item.apiVersion ??= this.#defaults.apiVersion;
        item.kind ??= this.#defaults.kind;
        const namespace = item.metadata.namespace ?? '';
        const { name } = item.metadata;
        this.#apply(() => this.store.upsert(item), namespace, name);
        if (this.store.has(namespace, name)) seen.add(keyOf(namespace, name));
      },
      finish: () => {
        const changes = this.store.retainOnly(seen);
        // A streamed list's pass lives as long as its watch: do not keep a key per object with it.
        seen.clear();
        for (const change of changes) this.#emit(change);
      },
    };
  }

  /** Applies an ADDED, MODIFIED or DELETED event (bookmarks change nothing). */
  applyEvent(event: WatchEvent): void {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
    const raw = event.object;
    if (!isKubeRawObject(raw)) {
      this.#logger.warn({ ...this.#fields, event: event.type }, 'skipping a malformed object in a watch event');
      return;
    }
    const namespace = raw.metadata.namespace ?? '';
    const { name } = raw.metadata;
    this.#apply(
      () => (event.type === 'DELETED' ? this.store.remove(namespace, name) : this.store.upsert(raw)),
      namespace,
      name,
    );
  }

  complete(): void {
    this.#changes.complete();
  }

  /** Runs one store update; a throwing projection or filter is logged and leaves the entry as it was. */
  #apply(update: () => CacheChange<T> | undefined, namespace: string, name: string): void {
    let change: CacheChange<T> | undefined;
    try {
      change = update();
    } catch (error) {
      const fields = { ...this.#fields, objectNamespace: namespace, name, ...errorFields(error) };
      this.#logger.error(fields, 'cannot project object; keeping the previous state');
      return;
    }
    if (change !== undefined) this.#emit(change);
  }

  #emit(change: CacheChange<T>): void {
    try {
      this.#changes.next(change);
    } catch (error) {
      this.#logger.error({ ...this.#fields, ...errorFields(error) }, 'a change subscriber threw');
    }
  }
}
