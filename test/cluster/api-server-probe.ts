import { request } from 'node:https';

/** TLS material (PEM contents) to talk to the API server as some client. */
export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
}

/** One GET to the API server (loopback only), bounded by `timeoutMs`. */
export function getFromApiServer(
  server: string,
  path: string,
  tls: ClientTls,
  timeoutMs = 2_000,
): Promise<ProbeResponse> {
  const url = new URL(path, server);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    return Promise.reject(new Error(`refusing to probe a non-loopback server: ${url.host}`));
  }
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', ca: tls.ca, cert: tls.cert, key: tls.key, timeout: timeoutMs, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The `gitVersion` the API server reports on /version, e.g. `v1.37.2`. */
export async function apiServerVersion(server: string, tls: ClientTls): Promise<string> {
  const response = await getFromApiServer(server, '/version', tls);
  const parsed: unknown = JSON.parse(response.body);
  const gitVersion =
    typeof parsed === 'object' && parsed !== null && 'gitVersion' in parsed ? parsed.gitVersion : undefined;
  if (typeof gitVersion !== 'string') throw new Error(`unexpected /version answer: ${response.body}`);
  return gitVersion;
}
