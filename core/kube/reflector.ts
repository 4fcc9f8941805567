import { Subject, type Observable } from 'rxjs';
import { Backoff } from './backoff.ts';
import { isGone, isKubeApiError } from './kube-api-error.ts';
import type { KubeClient, Query } from './kube-client.ts';
import { errorFields, silentLogger, type KubeLogger } from './kube-logger.ts';
import { listPages } from './list-pager.ts';
import type { WatchEvent } from './raw-object.ts';
import { ReflectorCache } from './reflector-cache.ts';
import {
  reflectorSettings,
  type ReflectorOptions,
  type ReflectorRestart,
  type ReflectorSettings,
} from './reflector-options.ts';
import type { CacheChange } from './reflector-store.ts';
import { apiVersionOf, collectionPath, qualifiedResource } from './resource-type.ts';
import { planRestart, type Attempt, type RestartPlan } from './restart-plan.ts';
import { realTimers, sleep, type Timers } from './timers.ts';
import { runWatchSession, type WatchEnd } from './watch-session.ts';

export type { CacheChange } from './reflector-store.ts';
export type { ReflectorOptions, ReflectorRestart, RestartReason } from './reflector-options.ts';

/** How a streaming list ended: refused, stopped, failed, or listed and then watched to an end. */
type StreamOutcome =
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly listed: boolean; readonly events: number; readonly error: unknown }
  | {
      readonly kind: 'watch';
      readonly listed: true;
      readonly end: Exclude<WatchEnd, 'stopped'>;
      readonly events: number;
    };

/** The annotation of the bookmark that ends a streaming list's initial events. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

function endsInitialEvents(object: unknown): boolean {
  // Any JSON value: optional chaining reads nothing from primitives, null or missing fields.
  const bookmark = object as { metadata?: { annotations?: Record<string, unknown> } } | null;
  return bookmark?.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true';
}

/**
 * A list+watch cache of one resource type (see "The watch layer" in architecture.md): streaming
 * lists (paginated where the server cannot stream), watches resumed from the last resourceVersion
 * seen (bookmarks included), relist on 410 with deletes for what disappeared, restart after
 * `idleTimeoutMs` of silence, backoff with jitter on consecutive failures and a periodic
 * authoritative relist (policy: `restart-plan.ts`).
 * It caches projections only and emits `changes$` after the cache is updated; a malformed object
 * or a throwing projection is logged and skipped. Subscribers must not throw: RxJS reports such
 * errors asynchronously, outside this reflector.
 */
export class Reflector<T> {
  readonly changes$: Observable<CacheChange<T>>;
  readonly restarts$: Observable<ReflectorRestart>;
  readonly #client: KubeClient;
  readonly #path: string;
  readonly #selectors: Query;
  readonly #settings: ReflectorSettings;
  readonly #timers: Timers;
  readonly #logger: KubeLogger;
  readonly #fields: Readonly<Record<string, string>>;
  readonly #backoff: Backoff;
  readonly #cache: ReflectorCache<T>;
  readonly #restarts = new Subject<ReflectorRestart>();
  readonly #controller = new AbortController();
  readonly #syncWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #running: Promise<void> | undefined;
  #streaming: boolean;
  #streamsWithoutMarker = 0;
  #hasSynced = false;
  #resourceVersion = '';
  #relistAt = 0;

  constructor(options: ReflectorOptions<T>) {
    const rt = options.resourceType;
    this.#settings = reflectorSettings(options);
    this.#streaming = this.#settings.streamingLists;
    this.#client = options.client;
    this.#path = collectionPath(rt, options.namespace);
    this.#selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    this.#timers = options.timers ?? realTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#fields = {
      resource: qualifiedResource(rt),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    };
    this.#backoff = new Backoff({ random: this.#settings.random, ...options.backoff });
    const fns = { project: options.project, filter: options.filter };
    this.#cache = new ReflectorCache(fns, this.#logger, this.#fields, { apiVersion: apiVersionOf(rt), kind: rt.kind });
    this.changes$ = this.#cache.changes$;
    this.restarts$ = this.#restarts.asObservable();
  }

  /** Starts listing and watching in the background; call once. */
  start(): void {
    if (this.#running !== undefined || this.#controller.signal.aborted) throw new Error('a reflector starts once');
    this.#running = this.#run(this.#controller.signal);
  }

  /** Aborts the list or watch in flight, cancels its timers and resolves once the loop has ended. */
  async stop(): Promise<void> {
    if (!this.#controller.signal.aborted) {
      this.#controller.abort();
      const error = new Error(`reflector for ${this.#fields.resource} stopped before it synced`);
      for (const waiter of this.#syncWaiters.splice(0)) waiter.reject(error);
    }
    await this.#running;
    this.#cache.complete();
    this.#restarts.complete();
  }

  /** Resolves once the first complete list is in the cache; rejects if stopped before. */
  synced(): Promise<void> {
    if (this.#hasSynced) return Promise.resolve();
    if (this.#controller.signal.aborted)
      return Promise.reject(new Error(`reflector for ${this.#fields.resource} is stopped`));
    return new Promise((resolve, reject) => this.#syncWaiters.push({ resolve, reject }));
  }

  get hasSynced(): boolean {
    return this.#hasSynced;
  }

  /** `namespace` is `''` (or undefined) for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.#cache.store.get(namespace, name);
  }

  values(): IterableIterator<T> {
    return this.#cache.store.values();
  }

  get size(): number {
    return this.#cache.store.size;
  }

  /** The last resourceVersion seen (list, event or bookmark): where the next watch resumes. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let mustList = true;
    let eventsSinceList = 0;
    for (;;) {
      let attempt: Attempt;
      if (mustList && this.#streaming) {
        const outcome = await this.#streamList(signal);
        if (signal.aborted || outcome.kind === 'stopped') return;
        if (outcome.kind === 'unsupported') continue;
        if (outcome.listed) eventsSinceList = outcome.events;
        attempt =
          outcome.kind === 'watch'
            ? { kind: 'watch', end: outcome.end, events: outcome.events }
            : { kind: 'failed', gone: isGone(outcome.error), whileListing: !outcome.listed, error: outcome.error };
      } else {
        try {
          if (mustList) {
            await this.#list(signal);
            mustList = false;
            eventsSinceList = 0;
          }
          const { end, events } = await this.#watch(signal);
          if (end === 'stopped') return;
          eventsSinceList += events;
          attempt = { kind: 'watch', end, events };
        } catch (error) {
          if (signal.aborted) return;
          attempt = { kind: 'failed', gone: isGone(error), whileListing: mustList, error };
        }
      }
      if (signal.aborted) return;
      const plan = planRestart(attempt, {
        eventsSinceList,
        failures: this.#backoff.failures,
        relistAfterFailures: this.#settings.relistAfterFailures,
      });
      mustList = plan.relist;
      if (!(await this.#restart(plan, attempt, signal))) return;
    }
  }

  /**
   * A list by streaming: one watch with `sendInitialEvents` whose ADDED events are the list, ended
   * by a bookmark annotated `k8s.io/initial-events-end`; the same watch then carries on as the
   * watch. Memory stays bounded by one object (a page of 500 parsed at once is several MB, kept
   * alive long enough to reach the old generation), and the server answers from its watch cache.
   * A refusal (400/422 before any event: the server is older than 1.27 or has WatchList off)
   * switches this reflector to paginated lists; so do two streams in a row that end before their
   * end marker (a proxy that drops the parameters, say).
   */
  async #streamList(signal: AbortSignal): Promise<StreamOutcome> {
    const started = this.#timers.now();
    const pass = this.#cache.beginList();
    // Set by the event handler while the session runs.
    const progress = { listed: false, events: 0 };
    this.#relistAt = started + this.#settings.relistIntervalMs;
    try {
      const query = { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' };
      const { end } = await this.#session(signal, query, (event) => {
        if (progress.listed) {
          progress.events += 1;
          this.#onEvent(event);
        } else if (event.type === 'ADDED') {
          pass.add(event.object);
        } else if (event.type === 'BOOKMARK' && endsInitialEvents(event.object)) {
          pass.finish();
          progress.listed = true;
          this.#listed(resourceVersionOf(event.object) ?? '', started, 'stream');
        } else {
          // Nothing but ADDED and bookmarks comes before the marker; anything else is applied as is.
          this.#onEvent(event);
        }
      });
      if (end === 'stopped') return { kind: 'stopped' };
      if (progress.listed) {
        this.#streamsWithoutMarker = 0;
        return { kind: 'watch', listed: true, end, events: progress.events };
      }
      this.#streamsWithoutMarker += 1;
      return {
        kind: 'failed',
        listed: false,
        events: 0,
        error: new Error(`the streaming list ended (${end}) before its end-of-initial-events bookmark`),
      };
    } catch (error) {
      if (signal.aborted) return { kind: 'stopped' };
      if (!progress.listed && isKubeApiError(error) && (error.statusCode === 400 || error.statusCode === 422)) {
        this.#paginate(errorFields(error));
        return { kind: 'unsupported' };
      }
      return { kind: 'failed', ...progress, error };
    } finally {
      if (!progress.listed && this.#streamsWithoutMarker >= 2)
        this.#paginate({ reason: 'streams ended before their end marker' });
    }
  }

  /** From now on, lists are paginated. */
  #paginate(why: object): void {
    if (!this.#streaming) return;
    this.#streaming = false;
    this.#logger.info({ ...this.#fields, ...why }, 'the server does not stream lists; listing in pages');
  }

  /** A complete paginated list applied page by page, then deletes for what it did not contain. */
  async #list(signal: AbortSignal): Promise<void> {
    const started = this.#timers.now();
    const pass = this.#cache.beginList();
    let resourceVersion = '';
    const query = this.#selectors;
    for await (const page of listPages(this.#client, this.#path, {
      query,
      pageSize: this.#settings.pageSize,
      signal,
    })) {
      for (const item of page.items) pass.add(item);
      resourceVersion = page.resourceVersion;
    }
    pass.finish();
    this.#relistAt = this.#timers.now() + this.#settings.relistIntervalMs;
    this.#listed(resourceVersion, started, 'pages');
  }

  /** A complete list is in the cache: resume from its resourceVersion; the first one syncs. */
  #listed(resourceVersion: string, started: number, mode: 'pages' | 'stream'): void {
    this.#resourceVersion = resourceVersion;
    const durationMs = Math.round(this.#timers.now() - started);
    this.#logger.info({ ...this.#fields, objects: this.size, resourceVersion, durationMs, mode }, 'listed');
    if (!this.#hasSynced) {
      this.#hasSynced = true;
      for (const waiter of this.#syncWaiters.splice(0)) waiter.resolve();
    }
  }

  #watch(signal: AbortSignal): ReturnType<typeof runWatchSession> {
    const resourceVersion = this.#resourceVersion === '' ? undefined : this.#resourceVersion;
    return this.#session(signal, { resourceVersion }, (event) => {
      this.#onEvent(event);
    });
  }

  /** One watch request with the selectors, bookmarks and a randomized server-side timeout. */
  #session(
    signal: AbortSignal,
    query: Query,
    onEvent: (event: WatchEvent) => void,
  ): ReturnType<typeof runWatchSession> {
    const { min, max } = this.#settings.watchTimeoutSeconds;
    return runWatchSession({
      client: this.#client,
      path: this.#path,
      query: {
        ...this.#selectors,
        ...query,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.floor(min + this.#settings.random() * (max - min + 1)),
      },
      idleTimeoutMs: this.#settings.idleTimeoutMs,
      relistAt: this.#relistAt,
      timers: this.#timers,
      signal,
      onEvent,
    });
  }

  #onEvent(event: WatchEvent): void {
    this.#cache.applyEvent(event);
    const rv = resourceVersionOf(event.object);
    if (rv !== undefined) this.#resourceVersion = rv;
  }

  /**
   * Reports the restart (log + `restarts$`), then waits the backoff delay if the plan says so.
   * Returns false when stopped meanwhile.
   */
  async #restart(plan: RestartPlan, attempt: Attempt, signal: AbortSignal): Promise<boolean> {
    if (plan.healthy) this.#backoff.reset();
    const delayMs = plan.backoff ? this.#backoff.next() : 0;
    const error = attempt.kind === 'failed' ? attempt.error : undefined;
    const fields = {
      ...this.#fields,
      reason: plan.reason,
      delayMs,
      relist: plan.relist,
      resourceVersion: this.#resourceVersion,
      ...(error === undefined ? {} : errorFields(error)),
    };
    if (plan.reason === 'error' || plan.reason === 'idle') this.#logger.warn(fields, 'restarting watch');
    else this.#logger.debug(fields, 'restarting watch');
    this.#restarts.next(
      error === undefined ? { reason: plan.reason, delayMs } : { reason: plan.reason, delayMs, error },
    );
    if (delayMs > 0) await sleep(this.#timers, delayMs, signal).catch(() => undefined);
    return !signal.aborted;
  }
}

function resourceVersionOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null || !('metadata' in object)) return undefined;
  const { metadata } = object;
  if (typeof metadata !== 'object' || metadata === null || !('resourceVersion' in metadata)) return undefined;
  const rv = metadata.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}
