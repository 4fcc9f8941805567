import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import type { JsonObject } from '../../core/sdk/index.ts';
import { KitClient } from '../../core/sdk/testkit/live-client.ts';
import { observed } from '../../core/sdk/testkit/live-steps.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, implementation, statusOf } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';
import type { OperatorUnderTest } from '../support/operator-harness.ts';
import { GATEWAY, HTTP_ROUTE, acceptRoute, createGateway, publishGatewayAddress } from './gateway-api-fixtures.ts';

const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
const kit = new KitClient(cluster.kubeconfigPath);
after(() => {
  k.close();
  kit.close();
});

const WAIT = { timeoutMs: 15_000 };
const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(probe, { ...WAIT, description: what });
const condition = (api: KubeRawObject | undefined, type: string) =>
  statusOf(api).conditions?.find((c) => c.type === type);

describe('operator with the gateway-api driver (real Gateway API CRDs)', () => {
  let ns: string;
  let op: OperatorUnderTest;
  const parent = () => ({ namespace: ns, name: 'gw' });

  before(async () => {
    ns = await cluster.newNamespace('gateway-api');
    await createGateway(kit, ns, 'gw', 8080);
    op = await startOperator(cluster.kubeConfig(), {
      namespace: ns,
      driver: 'gateway-api',
      settings: { gatewayApiParent: `${ns}/gw` },
    });
  });
  after(async () => {
    await op.stop();
  });

  const api = (name: string) => k.get('ExposedAPI', ns, name);
  const route = (name: string) => kit.get(HTTP_ROUTE, ns, name);

  it('attaches one HTTPRoute per API to the parent Gateway', async () => {
    await implementation(k, ns, 'catalog-svc', true);
    const created = await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog', { hostname: 'shop.example.org' }));
    const r = await until('the HTTPRoute', () => route('catalog'));
    const spec = r.spec as JsonObject;
    assert.deepEqual(spec.parentRefs, [
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: ns, name: 'gw' },
    ]);
    assert.deepEqual(spec.hostnames, ['shop.example.org']);
    const rule = (spec.rules as { matches: unknown[]; backendRefs: JsonObject[] }[])[0];
    assert.ok(rule);
    assert.deepEqual(rule.matches, [{ path: { type: 'PathPrefix', value: '/r1-test/tmf-api/catalog/v4' } }]);
    assert.deepEqual(rule.backendRefs, [{ group: '', kind: 'Service', name: 'catalog-svc', port: 8080, weight: 1 }]);
    const refs = (r.metadata as { ownerReferences?: { uid: string }[] }).ownerReferences;
    assert.equal(refs?.[0]?.uid, created.metadata.uid);
  });

  it('is not Ready before the Gateway accepted the route, and reflects the verdict', async () => {
    await implementation(k, ns, 'orders-svc', true);
    await k.apply('ExposedAPI', exposedApiObject(ns, 'orders'));
    await publishGatewayAddress(kit, ns, 'gw', '192.0.2.10');
    const url = 'https://192.0.2.10:8080/r1-test/tmf-api/orders/v4';
    await until('the URL, with Ready=False (RouteNotAccepted)', async () => {
      const a = await api('orders');
      return statusOf(a).apiStatus?.url === url && condition(a, 'Ready')?.reason === 'RouteNotAccepted'
        ? true
        : undefined;
    });
    const pending = condition(await api('orders'), 'RouteAccepted');
    assert.ok(pending);
    assert.equal(pending.status, 'Unknown');
    assert.equal(pending.reason, 'Pending');

    const r = observed(await until('the HTTPRoute', () => route('orders')));
    await acceptRoute(kit, r, parent(), { accepted: 'False', reason: 'NotAllowedByListeners' });
    await until('RouteAccepted=False (NotAllowedByListeners)', async () =>
      condition(await api('orders'), 'RouteAccepted')?.reason === 'NotAllowedByListeners' ? true : undefined,
    );
    const refused = await api('orders');
    assert.equal(condition(refused, 'Ready')?.status, 'False');
    assert.match(condition(refused, 'Ready')?.message ?? '', /RouteAccepted is False \(NotAllowedByListeners\)/);

    await acceptRoute(kit, r, parent());
    await until('Ready=True once accepted', async () =>
      condition(await api('orders'), 'Ready')?.status === 'True' ? true : undefined,
    );
    const ready = await api('orders');
    assert.equal(condition(ready, 'RouteAccepted')?.status, 'True');
    assert.equal(condition(ready, 'RouteResolvedRefs')?.status, 'True');
  });

  it('treats an acceptance of an older route generation as pending', async () => {
    await implementation(k, ns, 'quote-svc', true);
    await k.apply('ExposedAPI', exposedApiObject(ns, 'quote'));
    const first = observed(await until('the HTTPRoute', () => route('quote')));
    await acceptRoute(kit, first, parent());
    await until('Ready=True', async () =>
      condition(await api('quote'), 'Ready')?.status === 'True' ? true : undefined,
    );
    await k.apply('ExposedAPI', exposedApiObject(ns, 'quote', { path: '/quotes/v5' }));
    await until('Ready=False until the gateway sees the new route', async () =>
      condition(await api('quote'), 'RouteAccepted')?.reason === 'Pending' &&
      condition(await api('quote'), 'Ready')?.reason === 'RouteNotAccepted'
        ? true
        : undefined,
    );
    const changed = observed(await until('the HTTPRoute', () => route('quote')));
    assert.ok((changed.generation ?? 0) > (first.generation ?? 0));
    await acceptRoute(kit, changed, parent());
    await until('Ready=True again', async () =>
      condition(await api('quote'), 'Ready')?.status === 'True' ? true : undefined,
    );
  });

  it('publishes the URL from the Gateway address and follows it', async () => {
    await publishGatewayAddress(kit, ns, 'gw', 'gw.example.net');
    await until('the URL on the new address', async () =>
      statusOf(await api('orders')).apiStatus?.url === 'https://gw.example.net:8080/r1-test/tmf-api/orders/v4'
        ? true
        : undefined,
    );
    assert.equal(statusOf(await api('orders')).apiStatus?.ip, 'gw.example.net');
    await kit.patch(GATEWAY, ns, 'gw', { status: { addresses: null } }, 'status');
    await until('the URL withdrawn with the address', async () =>
      statusOf(await api('orders')).apiStatus?.url === undefined ? true : undefined,
    );
  });
});
