import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { KubeConfigLike as KubeConfig } from './kubeconfig-lite.ts';
import type { Timers } from './timers.ts';

/** What one request needs to reach and authenticate to the API server. */
export interface Connection {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number;
  /** Path prefix of the server URL (e.g. a proxy's `/k8s/clusters/x`), without trailing slash. */
  readonly basePath: string;
  readonly agent: HttpAgent;
  readonly headers: Readonly<Record<string, string>>;
}

type TlsMaterial = Pick<
  RequestOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'
>;

const tlsKeys = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * Turns a client-node `KubeConfig` into connection settings through its public
 * `applyToHTTPSOptions`, at most once per `refreshMs` (so rotating tokens, exec plugins and
 * re-read token files keep working), and keeps one keep-alive agent per set of TLS material.
 */
export class KubeConnection {
  readonly #kubeConfig: KubeConfig;
  readonly #timers: Timers;
  readonly #refreshMs: number;
  #current: { connection: Connection; tlsKey: string; at: number } | undefined;
  #refreshing: Promise<Connection> | undefined;
  readonly #agents: HttpAgent[] = [];
  #closed = false;

  constructor(kubeConfig: KubeConfig, timers: Timers, refreshMs: number) {
    this.#kubeConfig = kubeConfig;
    this.#timers = timers;
    this.#refreshMs = refreshMs;
  }

  /** The server URL of the current context. */
  get server(): string {
    return this.#kubeConfig.getCurrentCluster()?.server ?? '';
  }

  get closed(): boolean {
    return this.#closed;
  }

  async get(): Promise<Connection> {
    if (this.#closed) throw new Error('the Kubernetes client is closed');
    const current = this.#current;
    if (current !== undefined && this.#timers.now() - current.at < this.#refreshMs) return current.connection;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Forgets the cached credentials (e.g. after a 401) so the next request reloads them. */
  invalidate(): void {
    if (this.#current !== undefined) this.#current = { ...this.#current, at: Number.NEGATIVE_INFINITY };
  }

  /** Destroys every agent and its sockets (watches included). */
  close(): void {
    this.#closed = true;
    for (const agent of this.#agents.splice(0)) agent.destroy();
    this.#current = undefined;
  }

  async #refresh(): Promise<Connection> {
    const server = this.server;
    if (server === '') throw new Error('the kubeconfig has no current cluster');
    const url = new URL(server);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') throw new Error(`unsupported server URL ${server}`);
    const options: RequestOptions = {};
    await this.#kubeConfig.applyToHTTPSOptions(options).catch((error: unknown) => {
      // client-node builds its own agent last and refuses plain HTTP unless skipTLSVerify is set;
      // by then the credentials are in `options`, and we use our own agent anyway.
      if (secure || !(error instanceof Error) || !error.message.includes('HTTP protocol is not allowed')) throw error;
    });
    const tls = pickTls(options);
    const tlsKey = fingerprint(tls);
    const previous = this.#current;
    const agent = previous?.tlsKey === tlsKey ? previous.connection.agent : this.#newAgent(secure, tls);
    const connection: Connection = {
      secure,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      basePath: url.pathname.replace(/\/+$/, ''),
      agent,
      headers: headersOf(options),
    };
    if (this.#closed) throw new Error('the Kubernetes client is closed');
    this.#current = { connection, tlsKey, at: this.#timers.now() };
    return connection;
  }

  #newAgent(secure: boolean, tls: TlsMaterial): HttpAgent {
    const common = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxSockets: 100,
      maxFreeSockets: 10,
      scheduling: 'lifo',
    } as const;
    // An agent made for earlier TLS material is kept until close(): its sockets may carry watches.
    const agent = secure ? new HttpsAgent({ ...common, ...tls }) : new HttpAgent(common);
    this.#agents.push(agent);
    return agent;
  }
}

function pickTls(options: RequestOptions): TlsMaterial {
  const tls: Record<string, unknown> = {};
  for (const key of tlsKeys) if (options[key] !== undefined) tls[key] = options[key];
  return tls;
}

function fingerprint(tls: TlsMaterial): string {
  return JSON.stringify(tlsKeys.map((key) => stringify(tls[key])));
}

function stringify(value: unknown): string {
  if (value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(stringify).join('|');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function headersOf(options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = Array.isArray(options.headers) ? {} : (options.headers ?? {});
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (typeof options.auth === 'string' && options.auth !== '' && options.auth !== 'undefined:undefined') {
    headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  }
  return headers;
}
