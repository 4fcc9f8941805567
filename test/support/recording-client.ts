import type { KubeClient, KubeRequest, KubeResponse, Query } from '../../core/kube/kube-client.ts';
import type { WatchEvent } from '../../core/kube/raw-object.ts';

/** One API call as RBAC sees it. */
export interface RbacCall {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  readonly status: number;
}

/** Parses an API path into group and resource (with subresource); undefined for discovery paths. */
export function resourceOf(path: string): { group: string; resource: string; named: boolean } | undefined {
  const parts =
    path
      .split('?')[0]
      ?.split('/')
      .filter((p) => p !== '') ?? [];
  let rest: string[];
  let group: string;
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource, name, sub] = rest;
  if (resource === undefined) return undefined;
  return { group, resource: sub === undefined ? resource : `${resource}/${sub}`, named: name !== undefined };
}

function verbOf(method: string, named: boolean, query: Query | undefined): string {
  if (method === 'GET') return query?.watch === true || query?.watch === 'true' ? 'watch' : named ? 'get' : 'list';
  return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
}

function statusOf(error: unknown): number {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : 0;
}

/** Wraps a client and records every call as (group, resource, verb, status). */
export function recordingClient(inner: KubeClient, calls: RbacCall[]): KubeClient {
  const record = (path: string, verb: string, status: number): void => {
    const r = resourceOf(path);
    if (r) calls.push({ group: r.group, resource: r.resource, verb, status });
  };
  return {
    async request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
      const r = resourceOf(req.path);
      const verb = verbOf(req.method, r?.named ?? false, req.query);
      try {
        const res = await inner.request<T>(req);
        record(req.path, verb, res.status);
        // Server-side apply that creates an object is authorized as create too.
        if (req.method === 'PATCH' && res.status === 201) record(req.path, 'create', res.status);
        return res;
      } catch (error) {
        record(req.path, verb, statusOf(error));
        throw error;
      }
    },
    async *watch(path: string, query: Query, signal: AbortSignal): AsyncIterable<WatchEvent> {
      try {
        record(path, 'watch', 200);
        yield* inner.watch(path, query, signal);
      } catch (error) {
        record(path, 'watch', statusOf(error));
        throw error;
      }
    },
  };
}
