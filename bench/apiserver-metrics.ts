import type { KubeClient } from '../core/kube/kube-client.ts';
import { parseSamples } from './prom-text.ts';

/** Requests the API server served, by `VERB resource[/subresource]`, from its apiserver_request_total. */
export type RequestCounts = Readonly<Record<string, number>>;

const NAME = 'apiserver_request_total';

export async function apiServerRequests(client: KubeClient): Promise<RequestCounts> {
  const response = await client.request<unknown>({ method: 'GET', path: '/metrics' });
  const text = typeof response.body === 'string' ? response.body : '';
  const out: Record<string, number> = {};
  for (const s of parseSamples(text, new Set([NAME]))) {
    const resource = s.labels.resource ?? '';
    if (resource === '') continue; // non-resource URLs (/metrics, /readyz, discovery)
    const subresource = s.labels.subresource ?? '';
    const key = `${s.labels.verb ?? '?'} ${resource}${subresource === '' ? '' : `/${subresource}`}`;
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/** after − before, without the zero rows, largest first. */
export function requestDelta(before: RequestCounts, after: RequestCounts): Record<string, number> {
  const rows = Object.entries(after)
    .map(([key, n]): [string, number] => [key, n - (before[key] ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows);
}
