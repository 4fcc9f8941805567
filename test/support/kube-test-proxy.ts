import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConnection } from '../../core/kube/kube-connection.ts';
import { realTimers } from '../../core/kube/timers.ts';

/** A request the proxy saw, with its query decoded. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly watch: boolean;
}

interface LiveWatch {
  readonly response: ServerResponse;
  frozen: boolean;
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host',
]);

/**
 * A loopback HTTP proxy in front of the test API server, to break the watch layer on purpose:
 * it authenticates upstream itself (clients talk plain `http://` without credentials), logs
 * every request, can freeze live watch streams (the TCP connection stays open, nothing more
 * arrives: a silently dead stream), end them, answer the next watch itself (e.g. 410) or
 * rewrite its resourceVersion.
 */
export class KubeTestProxy {
  readonly requests: ProxiedRequest[] = [];
  readonly #upstream: KubeConnection;
  readonly #server = createServer((req, res) => void this.#forward(req, res));
  readonly #sockets = new Set<Socket>();
  readonly #watches = new Set<LiveWatch>();
  readonly #nextWatch: ((req: IncomingMessage, res: ServerResponse, url: URL) => boolean)[] = [];
  #url = '';

  private constructor(upstream: KubeConfig) {
    this.#upstream = new KubeConnection(upstream, realTimers, 60_000);
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(upstream: KubeConfig): Promise<KubeTestProxy> {
    const proxy = new KubeTestProxy(upstream);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.#url = `http://127.0.0.1:${(proxy.#server.address() as AddressInfo).port}`;
    return proxy;
  }

  get url(): string {
    return this.#url;
  }

  /** A kubeconfig for the proxy: plain HTTP, no credentials. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'proxy', server: this.#url }],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'proxy', cluster: 'proxy', user: 'anonymous' }],
      currentContext: 'proxy',
    });
    return kc;
  }

  /** Watches currently streaming through the proxy (frozen ones included). */
  get liveWatches(): number {
    return this.#watches.size;
  }

  watchRequests(): ProxiedRequest[] {
    return this.requests.filter((request) => request.watch);
  }

  /** Stops relaying every live watch: the client keeps an open connection that never speaks again. */
  freezeWatches(): number {
    for (const watch of this.#watches) watch.frozen = true;
    return this.#watches.size;
  }

  /** Ends every live watch normally, as the server does after `timeoutSeconds`. */
  endWatches(): number {
    const count = this.#watches.size;
    for (const watch of this.#watches) watch.response.end();
    this.#watches.clear();
    return count;
  }

  /** Answers the next watch request itself with this status and body (a string is sent as is). */
  answerNextWatch(statusCode: number, body: unknown): void {
    this.#nextWatch.push((_req, res) => {
      res
        .writeHead(statusCode, { 'Content-Type': 'application/json' })
        .end(typeof body === 'string' ? body : JSON.stringify(body));
      return true;
    });
  }

  /** Sends the next watch upstream with this resourceVersion instead of the client's. */
  rewriteNextWatchResourceVersion(resourceVersion: string): void {
    this.#nextWatch.push((_req, _res, url) => {
      url.searchParams.set('resourceVersion', resourceVersion);
      return false;
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#upstream.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#url);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    // Hooks run first, so the log shows what went upstream (a rewritten resourceVersion included).
    const handled = watch && this.#nextWatch.shift()?.(req, res, url) === true;
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      watch,
    });
    if (handled) return;
    const upstream = await this.#upstream.get();
    const headers: Record<string, string | string[]> = { ...upstream.headers };
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    const send = upstream.secure ? httpsRequest : httpRequest;
    const outgoing = send(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: upstream.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answerHeaders(answer));
        if (!watch) {
          answer.pipe(res);
          return;
        }
        const live: LiveWatch = { response: res, frozen: false };
        this.#watches.add(live);
        answer.on('data', (chunk: Buffer) => {
          if (!live.frozen) res.write(chunk);
        });
        answer.on('end', () => {
          this.#watches.delete(live);
          if (!live.frozen) res.end();
        });
        res.on('close', () => {
          this.#watches.delete(live);
          answer.destroy();
        });
      },
    );
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
  }
}

function answerHeaders(answer: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers))
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  return headers;
}
