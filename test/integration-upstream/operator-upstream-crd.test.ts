import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway, implementation, readyReason, statusOf } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';

/**
 * Against the ExposedAPI CRD exactly as upstream ships it: no status subresource, so status is
 * written through the main resource and every such write bumps metadata.generation.
 */
const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

const until = <T>(description: string, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(probe, { timeoutMs: 15_000, description });

describe('with the upstream ExposedAPI CRD (no status subresource)', () => {
  it('is running against the upstream variant', async () => {
    assert.equal(await cluster.crdVariant(), 'upstream');
  });

  for (const driver of ['istio', 'simple-ingress'] as const) {
    it(`writes status, converges on observedGeneration and then stays silent (${driver})`, async (t) => {
      const ns = await cluster.newNamespace(`upstream-${driver}`, t);
      await gateway(k, ns, { ip: '192.0.2.7' });
      await implementation(k, ns, 'catalog-svc', true);
      const op = await startOperator(cluster.kubeConfig(), { namespace: ns, driver });
      t.after(() => op.stop());
      await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog'));
      if (driver === 'simple-ingress') {
        await until('ingress', () => k.get('Ingress', ns, 'catalog'));
        await k.patch(
          'Ingress',
          ns,
          'catalog',
          { status: { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } } },
          'status',
        );
      }
      const api = await until('Ready with the URL', async () => {
        const o = await k.get('ExposedAPI', ns, 'catalog');
        return readyReason(o) === 'Ready' ? o : undefined;
      });
      const s = statusOf(api);
      assert.equal(s.apiStatus?.url, 'https://192.0.2.7/r1-test/tmf-api/catalog/v4');
      assert.equal(s.observedGeneration, api.metadata.generation, 'observedGeneration matches after our own write');
      assert.equal(s.conditions?.[0]?.observedGeneration, api.metadata.generation);
      await until('idle', () => Promise.resolve(op.idle() ? true : undefined));
      const quiet = op.writes();
      const rv = api.metadata.resourceVersion;
      // A spec change is observed and written once more; then quiet again.
      await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog', { port: 9090 }));
      const changed = await until('status of the new generation', async () => {
        const o = await k.get('ExposedAPI', ns, 'catalog');
        return o &&
          statusOf(o).observedGeneration === o.metadata.generation &&
          o.metadata.resourceVersion !== rv &&
          op.idle()
          ? o
          : undefined;
      });
      assert.equal(statusOf(changed).apiStatus?.port, 9090);
      const after = op.writes();
      assert.ok(after - quiet <= 3, `apply, status and an Event at most, got ${after - quiet}`);
      const seen = op.outcomes.length;
      await k.patch('ExposedAPI', ns, 'catalog', { metadata: { annotations: { note: 'x' } } });
      await until('looked at again', () => Promise.resolve(op.outcomes.length > seen && op.idle() ? true : undefined));
      assert.equal(op.writes(), after, 'no write for a change that matters to nobody: no hot loop');
    });
  }

  it('serves a metrics API without the ServiceMonitor CRD and says so in a condition', async (t) => {
    const ext = cluster.kubeConfig().makeApiClient(ApiextensionsV1Api);
    await ext.deleteCustomResourceDefinition({ name: 'servicemonitors.monitoring.coreos.com' });
    await until('ServiceMonitor CRD gone', async () =>
      (await ext.listCustomResourceDefinition()).items.some(
        (c) => c.metadata?.name === 'servicemonitors.monitoring.coreos.com',
      )
        ? undefined
        : true,
    );
    const ns = await cluster.newNamespace('no-servicemonitor', t);
    await gateway(k, ns, { ip: '192.0.2.7' });
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    await k.apply('ExposedAPI', exposedApiObject(ns, 'metrics', { apiType: 'prometheus', path: '/r1-test/metrics' }));
    await until('route served', () => k.get('VirtualService', ns, 'metrics'));
    const api = await until('MetricsUnavailable condition', async () => {
      const o = await k.get('ExposedAPI', ns, 'metrics');
      return statusOf(o).conditions?.some((c) => c.type === 'MetricsUnavailable' && c.status === 'True')
        ? o
        : undefined;
    });
    assert.match(JSON.stringify(statusOf(api).conditions), /ServiceMonitorCrdMissing/);
  });
});
