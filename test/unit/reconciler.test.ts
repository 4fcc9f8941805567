import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Reconciler } from '../../core/reconcile/reconciler.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import type { JsonObject } from '../../core/sdk/json.ts';
import { istioDriver } from '../../drivers/istio/index.ts';
import { simpleIngressDriver } from '../../drivers/simple-ingress/index.ts';
import { FakeCluster } from '../support/fake-cluster.ts';
import { exposedApi } from '../support/api-fixtures.ts';

function setup(driver: 'istio' | 'simple-ingress' = 'istio') {
  const cluster = new FakeCluster();
  const enqueued: string[] = [];
  const active =
    driver === 'istio'
      ? {
          driver: istioDriver,
          settings: istioDriver.parseSettings({
            componentGateway: 'component-gateway',
            gatewaySelector: 'istio=ingressgateway',
          }),
        }
      : { driver: simpleIngressDriver, settings: simpleIngressDriver.parseSettings({ ingressClass: 'nginx' }) };
  const reconciler = new Reconciler({
    state: cluster,
    writer: cluster,
    active,
    urls: { scheme: 'https' },
    logger: silentLogger,
    enqueue: (k) => enqueued.push(k),
    now: () => new Date('2026-11-26T10:00:00Z'),
  });
  return { cluster, reconciler, enqueued };
}

function api(
  name: string,
  spec: Record<string, unknown> = {},
  created = '2026-01-01T00:00:00Z',
): JsonObject & { metadata: JsonObject } {
  return exposedApi(
    { implementation: 'svc', path: `/${name}`, ...spec },
    { name, creationTimestamp: created },
  ) as JsonObject & { metadata: JsonObject };
}

const status = (c: FakeCluster, key: string) =>
  c.statuses.get(key) as
    | {
        apiStatus: Record<string, unknown>;
        implementation: { ready: boolean };
        conditions: { reason: string; status: string }[];
      }
    | undefined;

describe('Reconciler', () => {
  it('creates the route, writes status once, then stays silent', async () => {
    const { cluster, reconciler } = setup();
    cluster.ready.add('components/svc');
    const { key } = cluster.putApi(api('a'));
    assert.deepEqual(await reconciler.reconcile(key), { type: 'done' });
    assert.deepEqual(cluster.writes, ['apply VirtualService a', `status ${key}`]);
    assert.equal(status(cluster, key)?.apiStatus.url, 'https://10.1.2.3/a');
    assert.equal(status(cluster, key)?.conditions[0]?.reason, 'Ready');
    cluster.writes.length = 0;
    await reconciler.reconcile(key);
    assert.deepEqual(cluster.writes, [], 'steady state: zero writes');
    assert.deepEqual(
      cluster.events.map((e) => e.reason),
      ['RouteCreated'],
    );
  });

  it('follows readiness and the gateway address both ways', async () => {
    const { cluster, reconciler } = setup();
    cluster.address = undefined;
    const { key } = cluster.putApi(api('a'));
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.conditions[0]?.reason, 'GatewayAddressPending');
    cluster.address = { host: 'gw.example.net', port: 8080 };
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.apiStatus.url, 'https://gw.example.net:8080/a');
    assert.equal(status(cluster, key)?.conditions[0]?.reason, 'ImplementationNotReady');
    cluster.ready.add('components/svc');
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.implementation.ready, true);
    cluster.ready.clear();
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.implementation.ready, false);
  });

  it('repairs a hand edit and a hand delete with the minimum of writes', async () => {
    const { cluster, reconciler } = setup();
    const { key } = cluster.putApi(api('a'));
    await reconciler.reconcile(key);
    const id = 'networking.istio.io/v1/VirtualService/components/a';
    const live = cluster.owned.get(id);
    assert.ok(live);
    cluster.owned.set(id, { ...live, spec: { ...(live.spec as JsonObject), hosts: ['evil.example.com'] } });
    cluster.writes.length = 0;
    await reconciler.reconcile(key);
    assert.deepEqual(cluster.writes, ['apply! VirtualService a']);
    cluster.owned.delete(id);
    cluster.writes.length = 0;
    await reconciler.reconcile(key);
    assert.equal(cluster.writes[0], 'apply VirtualService a');
  });

  it('reports invalid specs without routes and prunes what an earlier valid spec made', async () => {
    const { cluster, reconciler } = setup();
    const { key } = cluster.putApi(api('a'));
    await reconciler.reconcile(key);
    cluster.putApi(api('a', { port: 'eighty', path: 'x' }));
    const result = await reconciler.reconcile(key);
    assert.equal(result.type, 'terminal');
    assert.ok(cluster.writes.includes('delete VirtualService a'));
    const s = status(cluster, key);
    assert.ok(s);
    assert.equal(s.conditions[0]?.reason, 'InvalidSpec');
    assert.equal(s.apiStatus.url, undefined);
    const warnings = cluster.events.filter((e) => e.type === 'Warning');
    await reconciler.reconcile(key);
    assert.equal(cluster.events.filter((e) => e.type === 'Warning').length, warnings.length, 'same failure: one Event');
  });

  it('gives overlapping paths to the oldest API and releases the loser when it goes', async () => {
    const { cluster, reconciler, enqueued } = setup();
    cluster.ready.add('components/svc');
    const older = cluster.putApi(api('old', { path: '/shop' }, '2026-01-01T00:00:00Z'));
    const newer = cluster.putApi(api('new', { path: '/shop/cart' }, '2026-02-01T00:00:00Z'));
    await reconciler.reconcile(newer.key);
    assert.equal(status(cluster, newer.key)?.conditions[0]?.reason, 'Ready');
    await reconciler.reconcile(older.key);
    assert.deepEqual(enqueued, [newer.key], 'the neighbour is looked at again');
    await reconciler.reconcile(newer.key);
    const lost = status(cluster, newer.key);
    assert.ok(lost);
    assert.equal(lost.conditions[0]?.reason, 'PathConflict');
    assert.match(JSON.stringify(lost.conditions[0]), /components\/old/);
    assert.equal(cluster.ownedBy(newer.key).length, 0, 'the loser has no route');
    cluster.apis.delete(older.key);
    await reconciler.reconcile(older.key);
    assert.ok(enqueued.includes(newer.key));
    await reconciler.reconcile(newer.key);
    assert.equal(status(cluster, newer.key)?.conditions[0]?.reason, 'Ready');
    assert.equal(cluster.ownedBy(older.key).length, 0, 'deleted API: outputs pruned');
  });

  it('retries a failed apply with an ApplyFailed condition and a single Event', async () => {
    const { cluster, reconciler } = setup();
    cluster.failApply = () => new Error('the server is on fire');
    const { key } = cluster.putApi(api('a'));
    assert.equal((await reconciler.reconcile(key)).type, 'retry');
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.conditions[0]?.reason, 'ApplyFailed');
    assert.equal(cluster.events.filter((e) => e.reason === 'ApplyFailed').length, 1);
    cluster.failApply = undefined;
    assert.equal((await reconciler.reconcile(key)).type, 'done');
  });

  it('does not take over an output of the same name that belongs to another API', async () => {
    const { cluster, reconciler } = setup();
    const exposed = cluster.putApi(api('same'));
    await reconciler.reconcile(exposed.key);
    const legacy = cluster.putApi({
      apiVersion: 'oda.tmforum.org/v1alpha4',
      kind: 'API',
      metadata: { name: 'same', namespace: 'components', creationTimestamp: '2026-03-01T00:00:00Z' },
      spec: { name: 'x', implementation: 'svc', path: '/other', port: 80 },
    });
    assert.equal((await reconciler.reconcile(legacy.key)).type, 'retry');
    assert.match(JSON.stringify(status(cluster, legacy.key)), /already belongs to ExposedAPI\/components\/same/);
  });

  it('uses the Ingress own load-balancer status as address for simple-ingress', async () => {
    const { cluster, reconciler } = setup('simple-ingress');
    cluster.address = undefined;
    const { key } = cluster.putApi(api('a'));
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.apiStatus.url, undefined);
    const id = 'networking.k8s.io/v1/Ingress/components/a';
    const live = cluster.owned.get(id);
    assert.ok(live);
    cluster.owned.set(id, { ...live, loadBalancer: [{ ip: '192.0.2.10' }] });
    await reconciler.reconcile(key);
    assert.equal(status(cluster, key)?.apiStatus.url, 'https://192.0.2.10/a');
    assert.equal(status(cluster, key)?.apiStatus.ip, '192.0.2.10');
  });

  it('writes generation + 1 as observed when there is no status subresource, and converges', async () => {
    const { cluster, reconciler } = setup();
    cluster.subresource = false;
    const { key } = cluster.putApi(api('a'));
    await reconciler.reconcile(key);
    assert.equal((cluster.statuses.get(key) as { observedGeneration: number } | undefined)?.observedGeneration, 2);
    const bumped = cluster.apis.get(key);
    assert.ok(bumped);
    cluster.apis.set(key, { ...bumped, generation: 2 }); // what the API server does on that write
    cluster.writes.length = 0;
    await reconciler.reconcile(key);
    assert.deepEqual(cluster.writes, []);
  });

  it('propagates url and readiness to the owning Component entry by uid', async () => {
    const { cluster, reconciler } = setup();
    cluster.ready.add('components/svc');
    const raw = api('a');
    (raw.metadata as Record<string, unknown>).ownerReferences = [
      { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: 'comp', uid: 'comp-uid', controller: true },
    ];
    const { key, uid } = cluster.putApi(raw);
    cluster.components.set('components/comp', {
      namespace: 'components',
      name: 'comp',
      uid: 'comp-uid',
      entries: [
        { list: 'coreAPIs', index: 0, uid: 'other' },
        { list: 'coreAPIs', index: 1, uid },
      ],
    });
    await reconciler.reconcile(key);
    const write = cluster.writes.find((w) => w.startsWith('component'));
    assert.ok(write);
    assert.match(write, /"op":"test","path":"\/status\/coreAPIs\/1\/uid"/);
    assert.match(write, /"path":"\/status\/coreAPIs\/1\/url","value":"https:\/\/10.1.2.3\/a"/);
    assert.match(write, /"path":"\/status\/coreAPIs\/1\/ready","value":true/);
  });
});
