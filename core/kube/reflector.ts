import { Subject, type Observable } from 'rxjs';
import { Backoff } from './backoff.ts';
import { isGone } from './kube-api-error.ts';
import type { KubeClient, Query } from './kube-client.ts';
import { errorFields, silentLogger, type KubeLogger } from './kube-logger.ts';
import { listPages } from './list-pager.ts';
import { isKubeRawObject, type WatchEvent } from './raw-object.ts';
import {
  reflectorSettings,
  type ReflectorOptions,
  type ReflectorRestart,
  type ReflectorSettings,
  type RestartReason,
} from './reflector-options.ts';
import { keyOf, ReflectorStore, type CacheChange } from './reflector-store.ts';
import { apiVersionOf, collectionPath, qualifiedResource, type ResourceType } from './resource-type.ts';
import { realTimers, sleep, type Timers } from './timers.ts';
import { runWatchSession } from './watch-session.ts';

export type { CacheChange } from './reflector-store.ts';
export type { ReflectorOptions, ReflectorRestart, RestartReason } from './reflector-options.ts';

/**
 * A list+watch cache of one resource type (see "The watch layer" in architecture.md): paginated
 * lists, watches resumed from the last resourceVersion seen (bookmarks included), relist on 410
 * with deletes for what disappeared, restart after `idleTimeoutMs` of silence, backoff with
 * jitter on consecutive failures and a periodic authoritative relist. It caches projections
 * only, emits `changes$` after the cache is updated, and survives malformed objects and
 * throwing projections (logged, skipped). Subscribers of `changes$` must not throw: RxJS
 * reports such errors asynchronously, outside this reflector.
 */
export class Reflector<T> {
  readonly changes$: Observable<CacheChange<T>>;
  readonly restarts$: Observable<ReflectorRestart>;
  readonly #client: KubeClient;
  readonly #rt: ResourceType;
  readonly #path: string;
  readonly #selectors: Query;
  readonly #settings: ReflectorSettings;
  readonly #timers: Timers;
  readonly #logger: KubeLogger;
  readonly #fields: Readonly<Record<string, string>>;
  readonly #backoff: Backoff;
  readonly #store: ReflectorStore<T>;
  readonly #changes = new Subject<CacheChange<T>>();
  readonly #restarts = new Subject<ReflectorRestart>();
  readonly #controller = new AbortController();
  readonly #syncWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;
  #hasSynced = false;
  #resourceVersion = '';
  #relistAt = 0;

  constructor(options: ReflectorOptions<T>) {
    this.#settings = reflectorSettings(options);
    this.#client = options.client;
    this.#rt = options.resourceType;
    this.#path = collectionPath(options.resourceType, options.namespace);
    this.#selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    this.#timers = options.timers ?? realTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#fields = {
      resource: qualifiedResource(options.resourceType),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    };
    this.#backoff = new Backoff({ random: this.#settings.random, ...options.backoff });
    this.#store = new ReflectorStore({ project: options.project, filter: options.filter });
    this.changes$ = this.#changes.asObservable();
    this.restarts$ = this.#restarts.asObservable();
  }

  /** Starts listing and watching in the background; call once. */
  start(): void {
    if (this.#running !== undefined || this.#stopped) throw new Error('a reflector starts once');
    this.#running = this.#run();
  }

  /** Aborts the list or watch in flight, cancels timers and resolves once the loop has ended. */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#controller.abort();
      for (const waiter of this.#syncWaiters.splice(0))
        waiter.reject(new Error(`reflector for ${this.#fields.resource} stopped before it synced`));
    }
    await this.#running;
    this.#changes.complete();
    this.#restarts.complete();
  }

  /** Resolves once the first complete list is in the cache; rejects if stopped before. */
  synced(): Promise<void> {
    if (this.#hasSynced) return Promise.resolve();
    if (this.#stopped) return Promise.reject(new Error(`reflector for ${this.#fields.resource} is stopped`));
    return new Promise((resolve, reject) => this.#syncWaiters.push({ resolve, reject }));
  }

  get hasSynced(): boolean {
    return this.#hasSynced;
  }

  /** `namespace` is `''` (or undefined) for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(namespace, name);
  }

  values(): IterableIterator<T> {
    return this.#store.values();
  }

  get size(): number {
    return this.#store.size;
  }

  /** The last resourceVersion seen (list, event or bookmark); where the next watch resumes. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    let mustList = true;
    while (!this.#aborted()) {
      try {
        if (mustList) {
          await this.#list(signal);
          mustList = false;
        }
        const { end, events } = await runWatchSession({
          client: this.#client,
          path: this.#path,
          query: this.#watchQuery(),
          idleTimeoutMs: this.#settings.idleTimeoutMs,
          relistAt: this.#relistAt,
          timers: this.#timers,
          signal,
          onEvent: (event) => {
            this.#onEvent(event);
          },
        });
        if (end === 'stopped') break;
        if (end === 'gone' || end === 'relist') mustList = true;
        if (end !== 'closed' || events > 0) {
          if (end === 'closed') this.#backoff.reset();
          this.#restart(end, 0);
          continue;
        }
        // Closed before a single event, not even a bookmark: do not spin.
        await this.#pause(this.#restart('closed', this.#backoff.next()), signal);
      } catch (error) {
        if (this.#aborted()) break;
        if (isGone(error)) {
          // A watch answering 410 relists at once; a list whose continue token expired backs off.
          const delayMs = mustList ? this.#backoff.next() : 0;
          mustList = true;
          await this.#pause(this.#restart('gone', delayMs, error), signal);
          continue;
        }
        mustList ||= this.#backoff.failures + 1 >= this.#settings.relistAfterFailures;
        await this.#pause(this.#restart('error', this.#backoff.next(), error), signal);
      }
    }
  }

  /** A complete paginated list, applied page by page; then deletes what it did not contain. */
  async #list(signal: AbortSignal): Promise<void> {
    const started = this.#timers.now();
    const seen = new Set<string>();
    let resourceVersion = '';
    const apiVersion = apiVersionOf(this.#rt);
    const pages = listPages(this.#client, this.#path, {
      query: this.#selectors,
      pageSize: this.#settings.pageSize,
      signal,
    });
    for await (const page of pages) {
      for (const item of page.items) {
        if (!isKubeRawObject(item)) {
          this.#logger.warn({ ...this.#fields }, 'skipping a malformed object in a list');
          continue;
        }
        item.apiVersion ??= apiVersion;
        item.kind ??= this.#rt.kind;
        const namespace = item.metadata.namespace ?? '';
        const { name } = item.metadata;
        this.#apply(() => this.#store.upsert(item), namespace, name);
        if (this.#store.has(namespace, name)) seen.add(keyOf(namespace, name));
      }
      resourceVersion = page.resourceVersion;
    }
    for (const change of this.#store.retainOnly(seen)) this.#emit(change);
    this.#resourceVersion = resourceVersion;
    this.#relistAt = this.#timers.now() + this.#settings.relistIntervalMs;
    this.#backoff.reset();
    const durationMs = Math.round(this.#timers.now() - started);
    this.#logger.info({ ...this.#fields, objects: this.#store.size, resourceVersion, durationMs }, 'listed');
    if (!this.#hasSynced) {
      this.#hasSynced = true;
      for (const waiter of this.#syncWaiters.splice(0)) waiter.resolve();
    }
  }

  #onEvent(event: WatchEvent): void {
    const rv = resourceVersionOf(event.object);
    if (event.type !== 'BOOKMARK') {
      const raw = event.object;
      if (!isKubeRawObject(raw)) {
        this.#logger.warn({ ...this.#fields, event: event.type }, 'skipping a malformed object in a watch event');
      } else {
        const namespace = raw.metadata.namespace ?? '';
        const { name } = raw.metadata;
        this.#apply(
          () => (event.type === 'DELETED' ? this.#store.remove(namespace, name) : this.#store.upsert(raw)),
          namespace,
          name,
        );
      }
    }
    if (rv !== undefined) this.#resourceVersion = rv;
  }

  /** Runs one cache update; a throwing projection or filter is logged and leaves the entry as it was. */
  #apply(update: () => CacheChange<T> | undefined, namespace: string, name: string): void {
    let change: CacheChange<T> | undefined;
    try {
      change = update();
    } catch (error) {
      this.#logger.error(
        { ...this.#fields, objectNamespace: namespace, name, ...errorFields(error) },
        'cannot project object; keeping the previous state',
      );
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

  /** Reports a restart (log + `restarts$`) and returns the delay before the next attempt. */
  #restart(reason: RestartReason, delayMs: number, error?: unknown): number {
    const fields = {
      ...this.#fields,
      reason,
      delayMs,
      resourceVersion: this.#resourceVersion,
      ...(error === undefined ? {} : errorFields(error)),
    };
    if (reason === 'error' || reason === 'idle') this.#logger.warn(fields, 'restarting watch');
    else this.#logger.debug(fields, 'restarting watch');
    this.#restarts.next(error === undefined ? { reason, delayMs } : { reason, delayMs, error });
    return delayMs;
  }

  #aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  async #pause(ms: number, signal: AbortSignal): Promise<void> {
    if (ms > 0) await sleep(this.#timers, ms, signal).catch(() => undefined);
  }

  #watchQuery(): Query {
    const { min, max } = this.#settings.watchTimeoutSeconds;
    return {
      ...this.#selectors,
      resourceVersion: this.#resourceVersion === '' ? undefined : this.#resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.floor(min + this.#settings.random() * (max - min + 1)),
    };
  }
}

function resourceVersionOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null || !('metadata' in object)) return undefined;
  const { metadata } = object;
  if (typeof metadata !== 'object' || metadata === null || !('resourceVersion' in metadata)) return undefined;
  return typeof metadata.resourceVersion === 'string' && metadata.resourceVersion !== ''
    ? metadata.resourceVersion
    : undefined;
}
