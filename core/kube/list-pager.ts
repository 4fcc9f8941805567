import { KubeApiError } from './kube-api-error.ts';
import type { KubeClient, Query } from './kube-client.ts';
import { isKubeRawList } from './raw-object.ts';

export interface ListPage {
  readonly items: readonly unknown[];
  /** The snapshot's resourceVersion (the same on every page of one list). */
  readonly resourceVersion: string;
  /** True on the page that completes the list. */
  readonly last: boolean;
}

export interface ListPagesOptions {
  /** Selectors and the like; `limit` and `continue` are set here. */
  readonly query?: Query;
  /** Items per page (default 500). */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * A consistent list, one page at a time (`limit` + `continue`): the server keeps the snapshot
 * of the first page, so memory stays bounded by one page whatever the collection's size. An
 * expired continue token surfaces as a 410 `KubeApiError`; the caller restarts the list.
 */
export async function* listPages(
  client: KubeClient,
  path: string,
  options: ListPagesOptions = {},
): AsyncGenerator<ListPage, void, undefined> {
  const limit = options.pageSize ?? 500;
  let token: string | undefined;
  do {
    const response = await client.request<unknown>({
      method: 'GET',
      path,
      query: { ...options.query, limit, continue: token },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const list = response.body;
    if (!isKubeRawList(list)) {
      throw new KubeApiError({
        statusCode: response.status,
        reason: 'InvalidResponse',
        message: 'not a list',
        verb: 'LIST',
        path,
      });
    }
    const next = list.metadata.continue;
    token = typeof next === 'string' && next !== '' ? next : undefined;
    yield { items: list.items, resourceVersion: list.metadata.resourceVersion ?? '', last: token === undefined };
  } while (token !== undefined);
}

/** Every item of a collection (paginated under the hood) and the snapshot's resourceVersion. */
export async function listAll(
  client: KubeClient,
  path: string,
  options: ListPagesOptions = {},
): Promise<{ items: unknown[]; resourceVersion: string }> {
  const items: unknown[] = [];
  let resourceVersion = '';
  for await (const page of listPages(client, path, options)) {
    items.push(...page.items);
    resourceVersion = page.resourceVersion;
  }
  return { items, resourceVersion };
}
