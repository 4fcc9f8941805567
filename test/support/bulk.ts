import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import type { KubeTestClient } from './kube-test-client.ts';
import { readyReason, statusOf } from './oda-fixtures.ts';

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next; i < items.length; i = next) {
      next = i + 1;
      await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Every object of a collection path (paginated). */
export async function listAll(k: KubeTestClient, path: string): Promise<KubeRawObject[]> {
  const items: KubeRawObject[] = [];
  let token = '';
  do {
    const page = await k.client.request<{ items: KubeRawObject[]; metadata: { continue?: string } }>({
      method: 'GET',
      path,
      query: { limit: 500, ...(token === '' ? {} : { continue: token }) },
    });
    items.push(...page.body.items);
    token = page.body.metadata.continue ?? '';
  } while (token !== '');
  return items;
}

export interface ExpectedRoute {
  readonly path: string;
  readonly service: string;
  readonly port: number;
}

/**
 * Compares the VirtualServices and ExposedAPI statuses of a namespace with what is expected:
 * exactly one route per expected API (no orphan, none missing, each correct) and every status
 * with its URL and a Ready condition. Returns the differences, empty when converged.
 */
export async function convergenceGaps(
  k: KubeTestClient,
  ns: string,
  expected: ReadonlyMap<string, ExpectedRoute>,
): Promise<string[]> {
  const gaps: string[] = [];
  const routes = await listAll(k, `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`);
  const seen = new Set<string>();
  for (const vs of routes) {
    const name = vs.metadata.name;
    seen.add(name);
    const want = expected.get(name);
    if (!want) {
      gaps.push(`orphan route ${name}`);
      continue;
    }
    const http = (
      vs.spec as {
        http?: {
          match?: { uri?: { prefix?: string } }[];
          route?: { destination?: { host?: string; port?: { number?: number } } }[];
        }[];
      }
    ).http?.[0];
    const got = {
      path: http?.match?.[0]?.uri?.prefix,
      service: http?.route?.[0]?.destination?.host,
      port: http?.route?.[0]?.destination?.port?.number,
    };
    if (got.path !== want.path || got.service !== want.service || got.port !== want.port)
      gaps.push(`route ${name} is ${JSON.stringify(got)}`);
  }
  for (const name of expected.keys()) if (!seen.has(name)) gaps.push(`missing route ${name}`);
  const apis = await listAll(k, `/apis/oda.tmforum.org/v1/namespaces/${ns}/exposedapis`);
  for (const api of apis.filter((a) => expected.has(a.metadata.name))) {
    const s = statusOf(api);
    const want = expected.get(api.metadata.name);
    if (!s.apiStatus?.url || readyReason(api) === undefined || s.apiStatus.path !== want?.path)
      gaps.push(`status of ${api.metadata.name} not current`);
    if (s.observedGeneration !== api.metadata.generation)
      gaps.push(
        `status of ${api.metadata.name} observed ${String(s.observedGeneration)} of ${String(api.metadata.generation)}`,
      );
  }
  return gaps;
}
