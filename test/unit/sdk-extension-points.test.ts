import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../core/observability/logger.ts';
import { Reconciler } from '../../core/reconcile/reconciler.ts';
import type { OwnedObject } from '../../core/reconcile/ports.ts';
import type { JsonObject } from '../../core/sdk/index.ts';
import { gatewayApiDriver } from '../../drivers/gateway-api/index.ts';
import { exposedApi } from '../support/api-fixtures.ts';
import { FakeCluster } from '../support/fake-cluster.ts';

/** The core's driver extension points: route conditions gate Ready; an object address source. */

const ROUTE_ID = 'gateway.networking.k8s.io/v1/HTTPRoute/components/a';

function setup() {
  const cluster = new FakeCluster();
  cluster.ready.add('components/svc');
  const active = {
    driver: gatewayApiDriver,
    settings: gatewayApiDriver.parseSettings({ gatewayApiParent: 'infra/gw' }),
  };
  const reconciler = new Reconciler({
    state: cluster,
    writer: cluster,
    active,
    urls: { scheme: 'https' },
    logger: silentLogger,
    enqueue: () => undefined,
    now: () => new Date('2026-11-26T10:00:00Z'),
  });
  const raw = exposedApi({ implementation: 'svc', path: '/a' }, { name: 'a' }) as JsonObject & { metadata: JsonObject };
  (raw.metadata as Record<string, unknown>).ownerReferences = [
    { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: 'comp', uid: 'comp-uid', controller: true },
  ];
  const { key, uid } = cluster.putApi(raw);
  cluster.components.set('components/comp', {
    namespace: 'components',
    name: 'comp',
    uid: 'comp-uid',
    entries: [{ list: 'coreAPIs', index: 0, uid }],
  });
  return { cluster, reconciler, key };
}

/** The gateway controller's verdict on the route, as it would write it. */
function judge(cluster: FakeCluster, accepted: 'True' | 'False', observedGeneration = 1): void {
  const route = cluster.owned.get(ROUTE_ID);
  assert.ok(route);
  const condition = (type: string, status: string, reason: string) => ({
    type,
    status,
    reason,
    message: `${type} says ${status}`,
    observedGeneration,
  });
  const judged: OwnedObject = {
    ...route,
    generation: 1,
    status: {
      parents: [
        {
          parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' },
          controllerName: 'example.org/gw',
          conditions: [
            condition('Accepted', accepted, accepted === 'True' ? 'Accepted' : 'NoMatchingListenerHostname'),
            condition('ResolvedRefs', 'True', 'ResolvedRefs'),
          ],
        },
      ],
    },
  };
  cluster.owned.set(ROUTE_ID, judged);
}

const conditions = (cluster: FakeCluster, key: string) =>
  (cluster.statuses.get(key)?.conditions ?? []) as { type: string; status: string; reason: string }[];

describe('driver extension points in the reconciler', () => {
  it('keeps Ready False, and the Component entry not ready, until the route is accepted', async () => {
    const { cluster, reconciler, key } = setup();
    await reconciler.reconcile(key);
    assert.deepEqual(
      conditions(cluster, key).map((c) => [c.type, c.status, c.reason]),
      [
        ['Ready', 'False', 'RouteNotAccepted'],
        ['RouteAccepted', 'Unknown', 'Pending'],
        ['RouteResolvedRefs', 'Unknown', 'Pending'],
      ],
    );
    assert.match(
      cluster.writes.find((w) => w.startsWith('component')) ?? '',
      /"\/status\/coreAPIs\/0\/ready","value":false/,
    );

    judge(cluster, 'False');
    await reconciler.reconcile(key);
    assert.deepEqual(conditions(cluster, key)[1], {
      ...conditions(cluster, key)[1],
      status: 'False',
      reason: 'NoMatchingListenerHostname',
    });

    judge(cluster, 'True');
    await reconciler.reconcile(key);
    assert.deepEqual(
      conditions(cluster, key).map((c) => [c.type, c.status]),
      [
        ['Ready', 'True'],
        ['RouteAccepted', 'True'],
        ['RouteResolvedRefs', 'True'],
      ],
    );
    assert.equal((cluster.statuses.get(key)?.apiStatus as JsonObject).url, 'https://10.1.2.3/a');
    assert.match(
      cluster.writes.filter((w) => w.startsWith('component')).at(-1) ?? '',
      /"\/status\/coreAPIs\/0\/ready","value":true/,
    );
  });

  it('counts a verdict on an older route generation as pending', async () => {
    const { cluster, reconciler, key } = setup();
    await reconciler.reconcile(key);
    judge(cluster, 'True', 0);
    await reconciler.reconcile(key);
    assert.deepEqual(conditions(cluster, key)[0]?.reason, 'RouteNotAccepted');
  });

  it('takes the address of an object source from the cluster state', async () => {
    const { cluster, reconciler, key } = setup();
    cluster.address = undefined;
    await reconciler.reconcile(key);
    judge(cluster, 'True');
    await reconciler.reconcile(key);
    assert.equal(conditions(cluster, key)[0]?.reason, 'GatewayAddressPending');
    cluster.address = { host: 'gw.example.org', port: 8443 };
    await reconciler.reconcile(key);
    assert.equal((cluster.statuses.get(key)?.apiStatus as JsonObject).url, 'https://gw.example.org:8443/a');
  });
});
