import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * A request whose body goes to the API server exactly as given. client-node's typed serializer
 * is not used on purpose: serializing a plain object through it as a `V1CustomResourceDefinition`
 * silently drops every key the model spells differently (`x-kubernetes-int-or-string`,
 * `x-kubernetes-preserve-unknown-fields`, `$ref`, ...), which turns valid CRDs into invalid ones.
 */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

export async function rawRequest(
  kc: KubeConfig,
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: { readonly contentType: string; readonly value: unknown },
): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const payload = body === undefined ? undefined : JSON.stringify(body.value);
  const options: RequestOptions = {
    method,
    headers: {
      Accept: 'application/json',
      ...(body ? { 'Content-Type': body.contentType, 'Content-Length': Buffer.byteLength(payload ?? '') } : {}),
    },
    timeout: 30_000,
    agent: false,
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Server-side apply of an object at its REST path (e.g. `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x`). */
export async function serverSideApply(
  kc: KubeConfig,
  path: string,
  object: unknown,
  fieldManager: string,
): Promise<void> {
  const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
  const response = await rawRequest(kc, 'PATCH', path + query, {
    contentType: 'application/apply-patch+yaml',
    value: object,
  });
  if (response.status >= 200 && response.status < 300) return;
  throw new Error(`apply ${path} failed with HTTP ${response.status}: ${statusMessage(response.body)}`);
}

function statusMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string')
      return parsed.message;
  } catch {
    // not a Status
  }
  return body.slice(0, 500);
}
