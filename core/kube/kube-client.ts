import type { IncomingMessage } from 'node:http';
import type { KubeConfigLike as KubeConfig } from './kubeconfig-lite.ts';
import { openResponse, parseBody, readText, type Query } from './http-exchange.ts';
import { KubeApiError } from './kube-api-error.ts';
import { KubeConnection } from './kube-connection.ts';
import { realTimers, type Timers } from './timers.ts';
import { TokenBucket } from './token-bucket.ts';
import type { WatchEvent } from './raw-object.ts';
import { watchEvents } from './watch-stream.ts';
import { callFailure, withDeadline } from './call-failure.ts';

export type { Query, QueryValue } from './http-exchange.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  readonly method: HttpMethod;
  /** Absolute API path, e.g. `/api/v1/namespaces/x/services` (see `resource-type.ts`). */
  readonly path: string;
  readonly query?: Query;
  /** Sent as JSON (strings are sent as they are). */
  readonly body?: unknown;
  /** Default `application/json` when there is a body. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Whole-call deadline, body included (default: the client's `requestTimeoutMs`). */
  readonly timeoutMs?: number;
}

export interface KubeResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** What the rest of the operator needs from the API server; fakes implement this in tests. */
export interface KubeClient {
  /** JSON in, JSON out; a non-2xx answer or a network failure throws a `KubeApiError`. */
  request<T>(request: KubeRequest): Promise<KubeResponse<T>>;
  /**
   * Opens a watch (`watch=true` is added) and yields its events until the server ends the
   * stream. Aborting `signal` ends the iteration quietly; a failure throws a `KubeApiError`.
   */
  watch(path: string, query: Query, signal: AbortSignal): AsyncIterable<WatchEvent>;
}

export interface KubeClientOptions {
  /** Called once per call: HTTP method (`WATCH` for watches), status (0: no answer), duration to the answer. */
  readonly onRequest?: (verb: string, statusCode: number, durationMs: number) => void;
  /** Sustained rate of writes (non-GET calls), per second (default 50). Reads are not limited. */
  readonly writeQps?: number;
  /** Writes allowed at once after a quiet period (default 100). */
  readonly writeBurst?: number;
  /** Default deadline of `request` (default 60 s). */
  readonly requestTimeoutMs?: number;
  /** How long a watch may take to answer with its headers (default 30 s). */
  readonly watchConnectTimeoutMs?: number;
  /** How often credentials are re-read from the kubeconfig at most (default 60 s). */
  readonly authRefreshMs?: number;
  readonly userAgent?: string;
  readonly timers?: Timers;
}

/** The client over node:http(s); `close()` destroys its keep-alive sockets. */
export interface ClosableKubeClient extends KubeClient {
  readonly server: string;
  close(): void;
}

const maxBodyBytes = 256 * 1024 * 1024;

export function createKubeClient(kubeConfig: KubeConfig, options: KubeClientOptions = {}): ClosableKubeClient {
  const timers = options.timers ?? realTimers;
  const connection = new KubeConnection(kubeConfig, timers, options.authRefreshMs ?? 60_000);
  const writes = new TokenBucket({ qps: options.writeQps ?? 50, burst: options.writeBurst ?? 100, timers });
  const onRequest = options.onRequest ?? (() => undefined);
  const userAgent = options.userAgent ?? 'oda-api-operator';
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const watchConnectTimeoutMs = options.watchConnectTimeoutMs ?? 30_000;

  /** Sends and returns the response with its headers; non-2xx answers throw after reading the body. */
  async function open(verb: string, init: KubeRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const started = timers.now();
    let statusCode = 0;
    try {
      const conn = await connection.get().catch((error: unknown) => {
        throw KubeApiError.fromNetwork(verb, init.path, connection.closed ? 'Aborted' : 'AuthenticationFailed', error);
      });
      const body =
        init.body === undefined
          ? undefined
          : Buffer.from(typeof init.body === 'string' ? init.body : JSON.stringify(init.body));
      const contentType = init.contentType ?? 'application/json';
      const response = await openResponse({
        connection: conn,
        method: init.method,
        path: init.path,
        query: init.query,
        headers: { 'User-Agent': userAgent, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
        body,
        signal,
      });
      statusCode = response.statusCode ?? 0;
      if (statusCode >= 200 && statusCode < 300) return response;
      if (statusCode === 401) connection.invalidate();
      const text = await readText(response, maxBodyBytes);
      throw KubeApiError.fromResponse(verb, init.path, statusCode, parseBody(text, response.headers['content-type']));
    } finally {
      onRequest(verb, statusCode, timers.now() - started);
    }
  }

  return {
    get server() {
      return connection.server;
    },
    close: () => {
      connection.close();
    },
    request: async <T>(init: KubeRequest): Promise<KubeResponse<T>> => {
      if (init.method !== 'GET') {
        await writes.take(init.signal).catch((error: unknown) => {
          throw KubeApiError.fromNetwork(init.method, init.path, 'Aborted', error);
        });
      }
      const deadline = withDeadline(timers, init.signal, init.timeoutMs ?? requestTimeoutMs);
      try {
        const response = await open(init.method, init, deadline.signal);
        const text = await readText(response, maxBodyBytes);
        return { status: response.statusCode ?? 0, body: parseBody(text, response.headers['content-type']) as T };
      } catch (error) {
        throw callFailure(error, init.method, init.path, deadline);
      } finally {
        deadline.dispose();
      }
    },
    watch: (path, query, signal) => ({
      [Symbol.asyncIterator]: async function* () {
        const connect = withDeadline(timers, signal, watchConnectTimeoutMs);
        let response: IncomingMessage;
        try {
          response = await open('WATCH', { method: 'GET', path, query: { ...query, watch: true } }, connect.signal);
        } catch (error) {
          if (signal.aborted) return;
          throw callFailure(error, 'WATCH', path, connect);
        } finally {
          connect.dispose();
        }
        // The connect deadline is over: from here only the caller's signal ends the stream.
        const onAbort = (): void => {
          response.destroy();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          yield* watchEvents(response as AsyncIterable<Buffer>);
        } catch (error) {
          if (signal.aborted) return;
          throw callFailure(error, 'WATCH', path, undefined);
        } finally {
          signal.removeEventListener('abort', onAbort);
          response.destroy();
        }
      },
    }),
  };
}
