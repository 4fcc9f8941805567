import { bootstrap } from '../core/composition/bootstrap.ts';
import type { KubeClient } from '../core/kube/kube-client.ts';
import { createObject, mergePatch, serverSideApply } from '../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../core/kube/raw-object.ts';
import { normalizeApi } from '../core/model/normalize.ts';
import type { JsonObject } from '../core/sdk/json.ts';
import type { KubeObject } from '../core/sdk/kube-object.ts';
import { desiredStatus, statusMergePatch } from '../core/status/api-status.ts';
import { apiUrls } from '../core/status/api-url.ts';
import type { ActiveDriver } from '../core/translate/active-driver.ts';
import { ownerReferenceTo, translateApi } from '../core/translate/translate-api.ts';
import type { BenchDriver } from './options.ts';
import { forEachParallel } from './pool.ts';
import { exposedApi, routeType, types, type ApiSpecRef } from './workload.ts';

/**
 * The floor: a plain client doing exactly the writes the operator must do on a cold start, and
 * nothing else: one server-side apply per route and one status merge patch per API (to the
 * status subresource), `concurrency` APIs in flight, against the same API server. The bodies
 * are the operator's own (the core's translation and status functions), prepared before the
 * clock starts; only the route's uid is filled in from the apply's answer, as the operator does.
 */
export interface FloorOptions {
  readonly client: KubeClient;
  readonly driver: BenchDriver;
  readonly refs: readonly ApiSpecRef[];
  readonly runId: string;
  readonly concurrency: number;
  readonly setupParallelism: number;
  /** The published gateway address (istio) or public host name (simple-ingress) to build URLs with. */
  readonly address: string;
  readonly publicHostname?: string;
}

export interface FloorResult {
  readonly seconds: number;
  readonly writes: number;
}

export interface Prepared {
  readonly ref: ApiSpecRef;
  readonly route: KubeObject;
  readonly status: JsonObject;
}

async function activeDriver(driver: BenchDriver, publicHostname: string | undefined): Promise<ActiveDriver> {
  const { active } = await bootstrap({
    flags: { driver, ...(publicHostname === undefined ? {} : { publicHostname }) },
    env: {},
    readFile: () => {
      throw new Error('no configuration file in the benchmark');
    },
  });
  return active;
}

function prepare(active: ActiveDriver, created: KubeRawObject, ref: ApiSpecRef, o: FloorOptions): Prepared {
  const result = normalizeApi(created);
  if (!result.ok) throw new Error(`floor API ${ref.name} is invalid: ${JSON.stringify(result.problems)}`);
  const api = result.api;
  const [route] = translateApi(active, api, { availableKinds: new Set() }, ownerReferenceTo(api)).objects;
  if (route === undefined) throw new Error('the driver made no route');
  const address = o.driver === 'istio' ? { host: o.address } : undefined;
  const urls = apiUrls(
    api,
    { scheme: 'https', ...(o.publicHostname === undefined ? {} : { publicHostname: o.publicHostname }) },
    address,
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const desired = desiredStatus(
    {
      name: ref.name,
      ...(created.metadata.generation === undefined ? {} : { generation: created.metadata.generation }),
      api,
      urls,
      implementationReady: true,
      driverConditions: [],
      routeUid: '00000000-0000-0000-0000-000000000000',
      ...(address === undefined ? {} : { address }),
    },
    undefined,
    now,
  );
  const status = statusMergePatch(undefined, desired);
  if (status === undefined) throw new Error('no status to write');
  return { ref, route, status };
}

/** Creates the floor's APIs and prepares every body (not timed). */
export async function prepareFloor(o: FloorOptions): Promise<readonly Prepared[]> {
  const active = await activeDriver(o.driver, o.publicHostname);
  const prepared: Prepared[] = [];
  await forEachParallel(o.refs, o.setupParallelism, async (ref, index) => {
    const created = await createObject(o.client, types.exposedApi, exposedApi(ref, o.runId));
    prepared[index] = prepare(active, created, ref, o);
  });
  return prepared;
}

/** The timed part: per API one apply then one status patch, `concurrency` APIs in flight. */
export async function writeFloor(o: FloorOptions, prepared: readonly Prepared[]): Promise<FloorResult> {
  const fieldManager = `oda-api-operator-${o.driver}`;
  const rt = routeType(o.driver);
  const started = performance.now();
  await forEachParallel(prepared, o.concurrency, async ({ ref, route, status }) => {
    const applied = await serverSideApply(o.client, rt, route as unknown as KubeRawObject, {
      fieldManager,
      force: false,
    });
    const apiStatus = { ...(status.apiStatus as JsonObject), uid: applied.metadata.uid ?? '' };
    await mergePatch(
      o.client,
      types.exposedApi,
      ref.namespace,
      ref.name,
      { status: { ...status, apiStatus } },
      'status',
      { fieldManager },
    );
  });
  return { seconds: (performance.now() - started) / 1000, writes: prepared.length * 2 };
}
