import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Connection } from './kube-connection.ts';

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface Exchange {
  readonly connection: Connection;
  readonly method: string;
  readonly path: string;
  readonly query?: Query | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | undefined;
  readonly signal: AbortSignal;
}

/** `path?query` with undefined values dropped. */
export function pathWithQuery(basePath: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(key, String(value));
  const search = params.toString();
  return `${basePath}${path}${search === '' ? '' : `?${search}`}`;
}

/**
 * Sends one request and resolves with the response once its headers arrived (the body is left
 * to the caller). Rejects with the underlying error; aborting `signal` destroys the request and,
 * later, the response stream.
 */
export function openResponse(exchange: Exchange): Promise<IncomingMessage> {
  const { connection, body } = exchange;
  const send = connection.secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({
      method: exchange.method,
      hostname: connection.hostname,
      port: connection.port,
      path: pathWithQuery(connection.basePath, exchange.path, exchange.query),
      agent: connection.agent,
      headers: {
        Accept: 'application/json',
        ...connection.headers,
        ...exchange.headers,
        ...(body === undefined ? {} : { 'Content-Length': String(body.length) }),
      },
      signal: exchange.signal,
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end(body);
  });
}

/** Reads a whole (bounded) response body as text. */
export async function readText(response: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      response.destroy();
      throw new Error(`response body larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON bodies; anything else (or broken JSON) stays text. Empty bodies become undefined. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') !== true) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
