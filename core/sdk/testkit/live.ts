import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { serves } from '../../operator/discovery-state.ts';
import { Reason } from '../conditions.ts';
import type { Driver, ObservedObject, PublishedAddress, RawSettings } from '../driver.ts';
import type { JsonObject } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { KubeObject } from '../kube-object.ts';
import { kindKey } from '../kube-object.ts';
import { EXPOSED_API, KitClient } from './live-client.ts';
import type { LiveClient } from './live-client.ts';
import type { RunningOperator } from './live-operator.ts';
import { startOperator } from './live-operator.ts';
import {
  desiredFor,
  holds,
  kindOf,
  kitApi,
  kitImplementation,
  observed,
  publishDefault,
  tamper,
} from './live-steps.ts';
import { until } from './until.ts';

/** What the kit hands to a vendor's hooks. */
export interface LiveContext {
  /** The namespace of the run, made by the kit and deleted after it. */
  readonly namespace: string;
  readonly client: LiveClient;
  /** The settings the operator runs with. */
  readonly settings: RawSettings;
}

/** Where the kit needs the vendor to play the gateway's part. */
export interface LiveHooks {
  /** Before the operator starts: install CRDs, create what routes attach to (without an address yet). */
  setup?(context: LiveContext): Promise<void>;
  /**
   * Make the gateway publish `address` as the driver's `AddressSource` reads it. Required for an
   * `object` source; the kit publishes `service` and `route-status` addresses itself.
   */
  publishAddress?(context: LiveContext, address: PublishedAddress, route: ObservedObject): Promise<void>;
  /** Accept `route` as the gateway would, so that `routeConditions` turn True. Required with `routeConditions`. */
  acceptRoute?(context: LiveContext, route: ObservedObject): Promise<void>;
}

/** Options of {@link runLiveConformance}. */
export interface LiveConformanceOptions {
  readonly driver: Driver;
  /** Setting values by key; a function gets the run's namespace (e.g. to name a Gateway made in `setup`). */
  readonly settings?: RawSettings | ((namespace: string) => RawSettings);
  /** Kubeconfig file of the cluster; default `ODA_TEST_KUBECONFIG`, else `KUBECONFIG`. */
  readonly kubeconfig?: string;
  readonly hooks?: LiveHooks;
  /** Longest wait for each expected change (default 20 000 ms). */
  readonly timeoutMs?: number;
}

interface ApiStatus {
  readonly apiStatus?: { readonly url?: string; readonly uid?: string };
  readonly implementation?: { readonly ready?: boolean };
  readonly conditions?: readonly { type: string; status: string; reason: string; observedGeneration?: number }[];
}

const statusOf = (api: JsonObject | undefined): ApiStatus => {
  const status: unknown = api?.status;
  return isJsonObject(status) ? status : {};
};
const readyOf = (api: JsonObject | undefined) => statusOf(api).conditions?.find((c) => c.type === 'Ready');
const uidOf = (o: JsonObject | undefined): unknown => (isJsonObject(o?.metadata) ? o.metadata.uid : undefined);

/**
 * Registers the live conformance tests of a driver with `node:test`: the real operator runs the
 * driver in-process against a cluster (one fresh namespace) and the kit checks that outputs are
 * applied and owned, the URL and Ready follow the gateway (address, route acceptance), hand edits
 * and deletions are repaired, and outputs are pruned on spec change and API deletion.
 */
export function runLiveConformance(options: LiveConformanceOptions): void {
  const { driver, hooks = {} } = options;
  const timeout = options.timeoutMs ?? 20_000;
  describe(`live driver conformance: ${driver.id}`, () => {
    let kit: KitClient | undefined;
    let op: RunningOperator | undefined;
    let ctx: LiveContext | undefined;
    let available: ReadonlySet<string>;

    before(async () => {
      const path = options.kubeconfig ?? process.env.ODA_TEST_KUBECONFIG ?? process.env.KUBECONFIG;
      if (!path)
        throw new Error(
          'runLiveConformance needs a cluster: pass kubeconfig, or set ODA_TEST_KUBECONFIG or KUBECONFIG',
        );
      kit = new KitClient(path);
      await kit.ensureOdaCrds();
      const namespace = `kit-${driver.id.slice(0, 40)}-${randomBytes(4).toString('hex')}`;
      await kit.createNamespace(namespace);
      const settings = typeof options.settings === 'function' ? options.settings(namespace) : (options.settings ?? {});
      ctx = { namespace, client: kit, settings };
      await hooks.setup?.(ctx);
      await kitImplementation(kit, namespace);
      op = await startOperator(kit.kubeConfig, driver, namespace, settings);
      const served = await Promise.all(
        driver.ownedKinds.map((k) => serves(kit?.client ?? fail(), k.apiVersion, k.plural)),
      );
      available = new Set(driver.ownedKinds.filter((_k, i) => served[i]).map(kindKey));
    });
    after(async () => {
      await op?.stop();
      if (ctx !== undefined) await kit?.deleteNamespace(ctx.namespace);
      kit?.close();
    });

    const client = (): KitClient => kit ?? fail();
    const context = (): LiveContext => ctx ?? fail();
    const operator = (): RunningOperator => op ?? fail();
    const wait = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => until(what, timeout, probe);
    const getApi = (name: string) => client().get(EXPOSED_API, context().namespace, name);
    const getOutput = (o: KubeObject) =>
      client().get(kindOf(operator().active, o), o.metadata.namespace ?? context().namespace, o.metadata.name);
    const applyApi = async (name: string, spec: JsonObject = {}) => {
      const live = await client().apply(EXPOSED_API, kitApi(context().namespace, name, spec));
      return { live, desired: desiredFor(operator().active, live, available) };
    };
    /** Every desired object, once each holds what is desired; the live objects in order. */
    const outputs = (objects: readonly KubeObject[]) =>
      wait(`${objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')} as desired`, async () => {
        const live = await Promise.all(objects.map(getOutput));
        return live.every((l, i) => objects[i] !== undefined && holds(l, objects[i]))
          ? (live as JsonObject[])
          : undefined;
      });
    const publish = async (address: PublishedAddress, route: ObservedObject) => {
      const source = driver.addressSource(operator().active.settings);
      if (hooks.publishAddress) await hooks.publishAddress(context(), address, route);
      else await publishDefault(client(), context().namespace, source, address, route);
    };

    it('applies every output, owned by the API object and marked as the operator’s', async () => {
      const { live, desired } = await applyApi('kit-apply');
      assert.ok(desired.objects.length > 0, 'the kit API must be exposed by at least one object');
      const lives = await outputs(desired.objects);
      for (const o of lives) {
        const meta = isJsonObject(o.metadata) ? o.metadata : {};
        const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isJsonObject) : [];
        assert.ok(
          refs.some((r) => r.uid === uidOf(live) && r.controller === true),
          'controller reference to the API',
        );
      }
    });

    it('publishes the URL, and Ready only once the gateway has an address and accepted the route', async () => {
      const { desired } = await applyApi('kit-status');
      const [route] = await outputs(desired.objects);
      assert.ok(route);
      const pending = await wait('Ready=False while the gateway has no address', async () =>
        readyOf(await getApi('kit-status')),
      );
      assert.equal(pending.status, 'False');
      assert.ok(
        [Reason.GatewayAddressPending, Reason.RouteNotAccepted].includes(pending.reason as 'GatewayAddressPending'),
        `Ready reason before any address: ${pending.reason}`,
      );
      await publish({ host: '192.0.2.44' }, observed(route));
      if (driver.routeConditions !== undefined) {
        await wait('Ready=False (RouteNotAccepted) until the gateway accepts the route', async () =>
          readyOf(await getApi('kit-status'))?.reason === Reason.RouteNotAccepted ? true : undefined,
        );
        if (!hooks.acceptRoute)
          throw new Error('the driver reads route conditions: pass hooks.acceptRoute to accept routes');
        await hooks.acceptRoute(context(), observed((await getOutput(desired.objects[0] ?? fail())) ?? fail()));
      }
      const api = await wait('Ready=True', async () => {
        const a = await getApi('kit-status');
        return readyOf(a)?.status === 'True' ? a : undefined;
      });
      const status = statusOf(api);
      const host = context().settings.publicHostname ?? '192.0.2.44';
      const url = status.apiStatus?.url ?? '';
      assert.ok(url.includes(`://${host}`) && url.endsWith('/r1-kit/tmf-api/kit-status/v1'), `url ${url}`);
      assert.equal(status.implementation?.ready, true);
      assert.equal(status.apiStatus?.uid, uidOf(route), 'apiStatus.uid names the route');
      const generation = isJsonObject(api.metadata) ? api.metadata.generation : undefined;
      assert.ok(typeof readyOf(api)?.observedGeneration === 'number' && typeof generation === 'number');
      if (context().settings.publicHostname === undefined) {
        await publish({ host: '198.51.100.7' }, observed(route));
        await wait('the URL to follow the new address', async () =>
          statusOf(await getApi('kit-status')).apiStatus?.url?.includes('://198.51.100.7') ? true : undefined,
        );
      }
    });

    it('undoes a hand edit of its route', async () => {
      const { desired } = await applyApi('kit-drift');
      const [route] = await outputs(desired.objects);
      const want = desired.objects[0];
      assert.ok(route && want);
      const edited = await client().patch(
        kindOf(operator().active, want),
        context().namespace,
        want.metadata.name,
        tamper(route, want),
      );
      assert.ok(!holds(edited, want), 'the kit’s edit must change the route');
      await outputs([want]);
    });

    it('recreates a deleted route and names the new one in status', async () => {
      const { desired } = await applyApi('kit-recreate');
      const [route] = await outputs(desired.objects);
      const want = desired.objects[0];
      assert.ok(route && want);
      await client().delete(kindOf(operator().active, want), context().namespace, want.metadata.name);
      const again = await wait('the route recreated', async () => {
        const o = await getOutput(want);
        return o && uidOf(o) !== uidOf(route) && holds(o, want) ? o : undefined;
      });
      await wait('status to name the new route', async () =>
        statusOf(await getApi('kit-recreate')).apiStatus?.uid === uidOf(again) ? true : undefined,
      );
    });

    it('prunes an output the spec no longer asks for', async (t) => {
      const metrics = { apiType: 'prometheus', path: '/r1-kit/metrics' };
      const more = (await applyApi('kit-prune', metrics)).desired.objects;
      const fewer = desiredFor(operator().active, kitApi(context().namespace, 'kit-prune'), available).objects;
      const identity = (o: KubeObject) => `${kindKey(o)}/${o.metadata.name}`;
      const dropped = more.filter((o) => !fewer.some((f) => identity(f) === identity(o)));
      await outputs(more);
      if (dropped.length === 0) {
        t.diagnostic('the driver creates the same objects for a metrics API; pruning is checked on API deletion only');
        return;
      }
      const { desired } = await applyApi('kit-prune');
      await outputs(desired.objects);
      await wait(`${dropped.map(identity).join(', ')} pruned`, async () =>
        (await Promise.all(dropped.map(getOutput))).every((o) => o === undefined) ? true : undefined,
      );
    });

    it('removes every output when the API object is deleted', async () => {
      const { desired } = await applyApi('kit-delete', { apiType: 'prometheus', path: '/r1-kit/delete/metrics' });
      await outputs(desired.objects);
      await client().delete(EXPOSED_API, context().namespace, 'kit-delete');
      await wait('every output removed', async () =>
        (await Promise.all(desired.objects.map(getOutput))).every((o) => o === undefined) ? true : undefined,
      );
    });
  });
}

function fail(): never {
  throw new Error('conformance kit: the live run did not start (see the before hook)');
}
