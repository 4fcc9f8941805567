import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import type { TypeName } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway, implementation, readyReason, setReady, statusOf } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';
import type { OperatorUnderTest } from '../support/operator-harness.ts';

const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

const WAIT = { timeoutMs: 15_000 };

interface Route {
  path: string;
  service: string;
  port: number;
  host: string | undefined;
}

/** What a route object says, whatever the driver. */
function routeOf(kind: TypeName, o: KubeRawObject): Route {
  const spec = o.spec as Record<string, unknown>;
  if (kind === 'VirtualService') {
    const http = (
      spec.http as {
        match: { uri: { prefix: string } }[];
        route: { destination: { host: string; port: { number: number } } }[];
      }[]
    )[0];
    return {
      path: http?.match[0]?.uri.prefix ?? '',
      service: http?.route[0]?.destination.host ?? '',
      port: http?.route[0]?.destination.port.number ?? 0,
      host: (spec.hosts as string[])[0],
    };
  }
  const rule = (
    spec.rules as {
      host?: string;
      http: { paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[] };
    }[]
  )[0];
  const p = rule?.http.paths[0];
  return {
    path: p?.path ?? '',
    service: p?.backend.service.name ?? '',
    port: p?.backend.service.port.number ?? 0,
    host: rule?.host,
  };
}

for (const driver of ['istio', 'simple-ingress'] as const) {
  const routeKind: TypeName = driver === 'istio' ? 'VirtualService' : 'Ingress';

  /** Gives the published address the driver reads: the gateway Service, or the Ingress status. */
  async function publishAddress(
    ns: string,
    name: string,
    address: { ip?: string; hostname?: string },
    port = 80,
  ): Promise<void> {
    if (driver === 'istio') await gateway(k, ns, address, port);
    else await k.patch('Ingress', ns, name, { status: { loadBalancer: { ingress: [address] } } }, 'status');
  }

  describe(`operator with the ${driver} driver`, () => {
    let ns: string;
    let op: OperatorUnderTest;

    before(async () => {
      ns = await cluster.newNamespace(`routes-${driver}`);
      op = await startOperator(cluster.kubeConfig(), { namespace: ns, driver });
    });
    after(async () => {
      await op.stop();
    });

    const route = (name: string): Promise<KubeRawObject | undefined> => k.get(routeKind, ns, name);
    const api = (name: string): Promise<KubeRawObject | undefined> => k.get('ExposedAPI', ns, name);
    const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
      waitFor(probe, { ...WAIT, description: what });

    it('creates the route, then publishes the URL as soon as an address appears and follows it', async () => {
      await implementation(k, ns, 'catalog-svc', true);
      const created = await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog'));
      const r = await until('the route', () => route('catalog'));
      assert.deepEqual(routeOf(routeKind, r), {
        path: '/r1-test/tmf-api/catalog/v4',
        service: 'catalog-svc',
        port: 8080,
        host: driver === 'istio' ? '*' : undefined,
      });
      assert.equal(r.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
      assert.equal(r.metadata.ownerReferences?.[0]?.controller, true);
      assert.equal(r.metadata.labels?.['oda.tmforum.org/componentName'], 'r1-test');
      await until('GatewayAddressPending', async () =>
        readyReason(await api('catalog')) === 'GatewayAddressPending' ? true : undefined,
      );
      assert.equal(statusOf(await api('catalog')).apiStatus?.uid, r.metadata.uid);

      await publishAddress(ns, 'catalog', { ip: '192.0.2.10' });
      const url = 'https://192.0.2.10/r1-test/tmf-api/catalog/v4';
      await until('the URL', async () => (statusOf(await api('catalog')).apiStatus?.url === url ? true : undefined));
      const s = statusOf(await api('catalog'));
      assert.equal(s.apiStatus?.ip, '192.0.2.10');
      assert.equal(s.implementation?.ready, true);
      assert.equal(readyReason(await api('catalog')), 'Ready');

      await publishAddress(ns, 'catalog', { hostname: 'gw.example.net' }, 8080);
      const moved =
        driver === 'istio'
          ? 'https://gw.example.net:8080/r1-test/tmf-api/catalog/v4'
          : 'https://gw.example.net/r1-test/tmf-api/catalog/v4';
      await until('the URL to follow the address', async () =>
        statusOf(await api('catalog')).apiStatus?.url === moved ? true : undefined,
      );
    });

    it('follows the readiness of the implementation both ways', async () => {
      await implementation(k, ns, 'orders-svc', false);
      await k.apply('ExposedAPI', exposedApiObject(ns, 'orders'));
      await until('route', () => route('orders'));
      if (driver === 'simple-ingress') await publishAddress(ns, 'orders', { ip: '192.0.2.10' });
      await until('not ready', async () =>
        readyReason(await api('orders')) === 'ImplementationNotReady' ? true : undefined,
      );
      await setReady(k, ns, 'orders-svc', true);
      await until('ready', async () =>
        statusOf(await api('orders')).implementation?.ready === true ? true : undefined,
      );
      await setReady(k, ns, 'orders-svc', false);
      await until('not ready again', async () =>
        statusOf(await api('orders')).implementation?.ready === false ? true : undefined,
      );
    });

    it('undoes hand edits and recreates a deleted route', async () => {
      await k.apply('ExposedAPI', exposedApiObject(ns, 'party'));
      const original = await until('route', () => route('party'));
      const specPatch =
        driver === 'istio'
          ? { spec: { hosts: ['evil.example.com'] } }
          : {
              spec: {
                rules: [
                  {
                    host: 'evil.example.com',
                    http: {
                      paths: [
                        {
                          path: '/evil',
                          pathType: 'Prefix',
                          backend: { service: { name: 'evil', port: { number: 1 } } },
                        },
                      ],
                    },
                  },
                ],
              },
            };
      await k.patch(routeKind, ns, 'party', specPatch);
      await until('the edit undone', async () => {
        const r = await route('party');
        return r &&
          routeOf(routeKind, r).path === '/r1-test/tmf-api/party/v4' &&
          routeOf(routeKind, r).host === routeOf(routeKind, original).host
          ? true
          : undefined;
      });
      await k.delete(routeKind, ns, 'party');
      const again = await until('the route recreated', async () => {
        const r = await route('party');
        return r && r.metadata.uid !== original.metadata.uid ? r : undefined;
      });
      await until('status to name the new route', async () =>
        statusOf(await api('party')).apiStatus?.uid === again.metadata.uid ? true : undefined,
      );
    });

    it('applies every spec change and removes outputs when the API is deleted', async () => {
      await implementation(k, ns, 'quote-svc', true);
      await implementation(k, ns, 'quote2-svc', true);
      await k.apply('ExposedAPI', exposedApiObject(ns, 'quote'));
      await until('route', () => route('quote'));
      await k.apply(
        'ExposedAPI',
        exposedApiObject(ns, 'quote', {
          path: '/quotes/v5',
          port: 9090,
          implementation: 'quote2-svc',
          developerUI: '/quotes/v5/docs',
          hostname: 'shop.example.org',
        }),
      );
      const r = await until('the changed route', async () => {
        const o = await route('quote');
        return o && routeOf(routeKind, o).path === '/quotes/v5' ? o : undefined;
      });
      assert.deepEqual(routeOf(routeKind, r), {
        path: '/quotes/v5',
        service: 'quote2-svc',
        port: 9090,
        host: driver === 'istio' ? '*' : 'shop.example.org',
      });
      // spec.hostname replaces the address; the Istio gateway's port (8080 since the first test) stays.
      const ui =
        driver === 'istio' ? 'https://shop.example.org:8080/quotes/v5/docs' : 'https://shop.example.org/quotes/v5/docs';
      await until('developerUI on the API host name', async () =>
        statusOf(await api('quote')).apiStatus?.developerUI === ui ? true : undefined,
      );
      await k.apply('ExposedAPI', exposedApiObject(ns, 'quote', { apiType: 'prometheus', path: '/quotes/metrics' }));
      const sm = await until('the ServiceMonitor', () => k.get('ServiceMonitor', ns, 'quote'));
      assert.deepEqual((sm.spec as { selector: unknown }).selector, { matchLabels: { name: 'quote-svc' } });
      await k.apply('ExposedAPI', exposedApiObject(ns, 'quote', { apiType: 'openapi' }));
      await until('the ServiceMonitor pruned', async () =>
        (await k.get('ServiceMonitor', ns, 'quote')) === undefined ? true : undefined,
      );
      await k.delete('ExposedAPI', ns, 'quote');
      await until('the route removed', async () => ((await route('quote')) === undefined ? true : undefined));
    });
  });
}
