import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Probes {
  /** The process works (its event loop answers). */
  healthy(): boolean;
  /** Caches synced and, when leading, the first full reconcile done; the reason when not. */
  ready(): { ok: boolean; reason: string };
}

/** `/healthz`, `/readyz` and `/metrics` (Prometheus text format) on one port. */
export class OperationsServer {
  readonly #server: Server;

  constructor(probes: Probes, registry: Registry, beforeScrape: () => void = () => undefined) {
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/healthz' || path === '/livez') {
        const ok = probes.healthy();
        res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'unhealthy\n');
      } else if (path === '/readyz') {
        const { ok, reason } = probes.ready();
        res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(`${reason}\n`);
      } else if (path === '/metrics') {
        beforeScrape();
        registry
          .metrics()
          .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
          .catch((error: unknown) => res.writeHead(500).end(String(error)));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    });
    this.#server.keepAliveTimeout = 5000;
  }

  /** Listens on `port` (0: any free port) of `host`; resolves to the bound port. */
  listen(port: number, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
