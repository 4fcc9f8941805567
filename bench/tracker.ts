import type { KubeClient } from '../core/kube/kube-client.ts';
import type { KubeRawObject } from '../core/kube/raw-object.ts';
import { Reflector } from '../core/kube/reflector.ts';
import type { BenchDriver } from './options.ts';
import { routeType, RUN_LABEL, types } from './workload.ts';

/** What the benchmark knows of one API: its route and the status fields it waits on. */
export interface ApiView {
  /** performance.now() when the route was first seen (watch event arrival). */
  readonly routeAt?: number;
  readonly url?: string;
  readonly ip?: string;
  readonly ready: boolean;
}

interface ApiStatusView {
  readonly url?: string;
  readonly ip?: string;
  readonly ready: boolean;
}

interface Goal {
  readonly keys: ReadonlySet<string>;
  readonly holds: (view: ApiView) => boolean;
  readonly met: Set<string>;
  readonly resolve: (at: number) => void;
}

const SOURCE_ANNOTATION = 'oda-api-operator/source';

function statusView(raw: KubeRawObject): ApiStatusView {
  const status = raw.status as
    { apiStatus?: { url?: unknown; ip?: unknown }; implementation?: { ready?: unknown } } | undefined;
  const url = status?.apiStatus?.url;
  const ip = status?.apiStatus?.ip;
  return {
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof ip === 'string' ? { ip } : {}),
    ready: status?.implementation?.ready === true,
  };
}

/** `ns/name` of the API a route belongs to, from the operator's source annotation. */
function routeSource(raw: KubeRawObject): string {
  const source = raw.metadata.annotations?.[SOURCE_ANNOTATION];
  if (source === undefined) return `${raw.metadata.namespace ?? ''}/${raw.metadata.name}`;
  const [, namespace = '', name = ''] = source.split('/');
  return `${namespace}/${name}`;
}

/**
 * Watches the run's ExposedAPIs and routes (label `oda-bench/run`) and resolves goals such as
 * "every one of these APIs has a route and a ready status with a URL" at the moment the watch
 * delivers the event that completes them. Keeps only the few fields it judges by.
 */
export class Tracker {
  readonly #apis: Reflector<ApiStatusView>;
  readonly #routes: Reflector<string>;
  readonly #routeAt = new Map<string, number>();
  readonly #routeWaiters = new Map<string, (at: number) => void>();
  readonly #goals = new Set<Goal>();

  constructor(client: KubeClient, driver: BenchDriver, runId: string) {
    const common = {
      client,
      labelSelector: `${RUN_LABEL}=${runId}`,
      // A benchmark window is minutes long: no periodic relist inside it.
      relistIntervalMs: 24 * 3600_000,
      idleTimeoutMs: 24 * 3600_000,
      watchTimeoutSeconds: { min: 3600, max: 3600 },
    };
    this.#apis = new Reflector({ ...common, resourceType: types.exposedApi, project: statusView });
    this.#routes = new Reflector({ ...common, resourceType: routeType(driver), project: routeSource });
    this.#routes.changes$.subscribe((change) => {
      if (change.current === undefined || change.previous !== undefined) return;
      const key = change.current;
      if (this.#routeAt.has(key)) return;
      const at = performance.now();
      this.#routeAt.set(key, at);
      this.#routeWaiters.get(key)?.(at);
      this.#routeWaiters.delete(key);
      this.#changed(key);
    });
    this.#apis.changes$.subscribe((change) => {
      this.#changed(`${change.namespace}/${change.name}`);
    });
  }

  async start(): Promise<void> {
    this.#apis.start();
    this.#routes.start();
    await Promise.all([this.#apis.synced(), this.#routes.synced()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.#apis.stop(), this.#routes.stop()]);
  }

  view(key: string): ApiView {
    const [namespace = '', name = ''] = key.split('/');
    const status = this.#apis.get(namespace, name);
    const routeAt = this.#routeAt.get(key);
    return { ready: false, ...status, ...(routeAt === undefined ? {} : { routeAt }) };
  }

  /** Forgets when routes were first seen (before routes are deleted and made again). */
  forgetRoutes(): void {
    this.#routeAt.clear();
  }

  /** Resolves with the arrival time of the route of `key` (at once if already seen). */
  routeSeen(key: string): Promise<number> {
    const at = this.#routeAt.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.#routeWaiters.set(key, resolve));
  }

  /**
   * Resolves with the time of the event after which `holds` is true for every key (at once when
   * it already is). `holds` must only depend on the view.
   */
  until(keys: ReadonlySet<string>, holds: (view: ApiView) => boolean): Promise<number> {
    const met = new Set<string>();
    for (const key of keys) if (holds(this.view(key))) met.add(key);
    if (met.size === keys.size) return Promise.resolve(performance.now());
    return new Promise((resolve) => this.#goals.add({ keys, holds, met, resolve }));
  }

  /** How many of `keys` satisfy `holds` now. */
  count(keys: Iterable<string>, holds: (view: ApiView) => boolean): number {
    let n = 0;
    for (const key of keys) if (holds(this.view(key))) n++;
    return n;
  }

  #changed(key: string): void {
    if (this.#goals.size === 0) return;
    const at = performance.now();
    for (const goal of this.#goals) {
      if (!goal.keys.has(key)) continue;
      if (goal.holds(this.view(key))) goal.met.add(key);
      else goal.met.delete(key);
      if (goal.met.size === goal.keys.size) {
        this.#goals.delete(goal);
        goal.resolve(at);
      }
    }
  }
}

/** Route present, URL published, implementation ready: what "converged" means for one API. */
export function converged(view: ApiView): boolean {
  return view.routeAt !== undefined && view.url !== undefined && view.ready;
}
