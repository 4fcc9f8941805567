import { KubeApiError } from '../../core/kube/kube-api-error.ts';
import type { KubeClient, KubeRequest, KubeResponse, Query } from '../../core/kube/kube-client.ts';
import type { KubeRawObject, WatchEvent } from '../../core/kube/raw-object.ts';

/** One open watch of the fake; the test can end it, break it or freeze it. */
export class FakeWatch {
  readonly query: Query;
  readonly #queue: (WatchEvent | Error | 'end')[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  frozen = false;

  constructor(query: Query) {
    this.query = query;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(event: WatchEvent): void {
    if (!this.#closed && !this.frozen) this.#enqueue(event);
  }

  /** The server ends the response normally. */
  end(): void {
    this.#enqueue('end');
  }

  /** The connection breaks. */
  fail(error: Error): void {
    this.#enqueue(error);
  }

  async *events(signal: AbortSignal): AsyncGenerator<WatchEvent> {
    const onAbort = (): void => this.#wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal.aborted) return;
        const next = this.#queue.shift();
        if (next === undefined) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          continue;
        }
        if (next === 'end') return;
        if (next instanceof Error) throw next;
        yield next;
      }
    } finally {
      this.#closed = true;
      signal.removeEventListener('abort', onAbort);
    }
  }

  #enqueue(item: WatchEvent | Error | 'end'): void {
    this.#queue.push(item);
    this.#wake?.();
  }
}

/**
 * An in-memory API server for one collection: paginated lists over consistent snapshots, watches
 * that replay history after the requested resourceVersion, streaming lists (`sendInitialEvents`,
 * refused with 422 like a server without WatchList unless `streamingLists` is set), compaction
 * (410) and scripted failures.
 */
export class FakeKubeApi implements KubeClient {
  readonly watches: FakeWatch[] = [];
  /** Every list request, failed ones included. */
  readonly listQueries: Query[] = [];
  /** Errors the next list requests throw, in order. */
  readonly listFailures: Error[] = [];
  /** Errors the next watch requests throw at once, in order. */
  readonly watchFailures: Error[] = [];
  /** Watches from a resourceVersion below this get a 410 ERROR event. */
  compactedBelow = 0;
  /** Serve `sendInitialEvents` watches (otherwise they are refused with 422, as before Kubernetes 1.27). */
  streamingLists = false;
  /** Streaming list requests refused so far. */
  refusedStreams = 0;
  /** Streaming lists send their initial events but not the end marker (a proxy that dropped the parameters). */
  omitInitialEventsEnd = false;
  #rv = 100;
  readonly #objects = new Map<string, KubeRawObject>();
  readonly #history: { rv: number; event: WatchEvent }[] = [];
  readonly #snapshots = new Map<string, { rv: number; items: KubeRawObject[] }>();

  get resourceVersion(): string {
    return String(this.#rv);
  }

  get openWatches(): FakeWatch[] {
    return this.watches.filter((watch) => !watch.closed);
  }

  put(namespace: string, name: string, data: Record<string, unknown> = {}): KubeRawObject {
    const key = `${namespace}/${name}`;
    const type = this.#objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.#rv += 1;
    const object: KubeRawObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, resourceVersion: String(this.#rv) },
      ...data,
    };
    this.#objects.set(key, object);
    this.#record({ type, object });
    return object;
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const object = this.#objects.get(key);
    if (object === undefined) return;
    this.#objects.delete(key);
    this.#rv += 1;
    this.#record({
      type: 'DELETED',
      object: { ...object, metadata: { ...object.metadata, resourceVersion: String(this.#rv) } },
    });
  }

  /** Changes the store without telling any watch (as if the events were lost). */
  putSilently(namespace: string, name: string, data: Record<string, unknown> = {}): void {
    const watches = this.openWatches;
    for (const watch of watches) watch.frozen = true;
    this.put(namespace, name, data);
    for (const watch of watches) watch.frozen = false;
  }

  removeSilently(namespace: string, name: string): void {
    const watches = this.openWatches;
    for (const watch of watches) watch.frozen = true;
    this.remove(namespace, name);
    for (const watch of watches) watch.frozen = false;
  }

  bookmark(): void {
    this.#rv += 1;
    const event: WatchEvent = {
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', metadata: { resourceVersion: String(this.#rv) } },
    };
    for (const watch of this.openWatches) watch.push(event);
  }

  request<T>(request: KubeRequest): Promise<KubeResponse<T>> {
    const query = request.query ?? {};
    this.listQueries.push(query);
    const failure = this.listFailures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    const limit = Number(query.limit ?? 500);
    const token = typeof query.continue === 'string' ? query.continue : undefined;
    const [id, offsetText] = token === undefined ? [String(this.#snapshots.size), '0'] : token.split(':');
    let snapshot = this.#snapshots.get(id ?? '');
    if (snapshot === undefined) {
      snapshot = { rv: this.#rv, items: [...this.#objects.values()].map((object) => ({ ...object })) };
      this.#snapshots.set(id ?? '', snapshot);
    }
    const offset = Number(offsetText);
    const items = snapshot.items.slice(offset, offset + limit).map(({ apiVersion: _a, kind: _k, ...item }) => item);
    const more = offset + limit < snapshot.items.length;
    const body = {
      metadata: { resourceVersion: String(snapshot.rv), ...(more ? { continue: `${id}:${offset + limit}` } : {}) },
      items,
    };
    return Promise.resolve({ status: 200, body: body as T });
  }

  watch(path: string, query: Query, signal: AbortSignal): AsyncIterable<WatchEvent> {
    const failure = this.#refusal(path, query) ?? this.watchFailures.shift();
    if (failure !== undefined) {
      return {
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }),
      };
    }
    const watch = new FakeWatch(query);
    this.watches.push(watch);
    if (query.sendInitialEvents === true) {
      for (const object of this.#objects.values()) watch.push({ type: 'ADDED', object: { ...object } });
      if (!this.omitInitialEventsEnd) {
        watch.push({
          type: 'BOOKMARK',
          object: {
            kind: 'ConfigMap',
            metadata: { resourceVersion: String(this.#rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
          },
        });
      }
      return { [Symbol.asyncIterator]: () => watch.events(signal) };
    }
    const from = Number(query.resourceVersion ?? this.#rv);
    if (from < this.compactedBelow) {
      watch.push({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
      });
      watch.end();
    } else {
      for (const entry of this.#history) if (entry.rv > from) watch.push(entry.event);
    }
    return { [Symbol.asyncIterator]: () => watch.events(signal) };
  }

  #refusal(path: string, query: Query): KubeApiError | undefined {
    if (query.sendInitialEvents === undefined || this.streamingLists) return undefined;
    this.refusedStreams += 1;
    return new KubeApiError({
      statusCode: 422,
      reason: 'Invalid',
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch',
      verb: 'WATCH',
      path,
    });
  }

  #record(event: WatchEvent): void {
    this.#history.push({ rv: this.#rv, event });
    for (const watch of this.openWatches) watch.push(event);
  }
}

export function gone(): KubeApiError {
  return new KubeApiError({
    statusCode: 410,
    reason: 'Expired',
    message: 'continue token expired',
    verb: 'GET',
    path: '/x',
  });
}
