import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bootstrap } from '../../core/composition/bootstrap.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import { OperatorMetrics } from '../../core/observability/metrics.ts';
import { Manager } from '../../core/operator/manager.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { freeLoopbackPorts } from '../cluster/free-port.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway } from '../support/oda-fixtures.ts';
import { GATEWAY_LABEL } from '../support/operator-harness.ts';

/** Two replicas in-process: probes, metrics, leader and standby. */
const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

async function replica(
  ns: string,
  identity: string,
): Promise<{ manager: Manager; writes: () => number; close: () => Promise<void> }> {
  const { settings, active } = await bootstrap({
    flags: {
      namespaces: ns,
      gatewaySelector: `${GATEWAY_LABEL}=${ns}`,
      leaderElectionNamespace: ns,
      httpPort: String((await freeLoopbackPorts(1))[0] ?? 0),
      leaseDurationSeconds: '4',
      renewDeadlineSeconds: '3',
      retryPeriodSeconds: '1',
    },
    env: {},
    readFile: () => '',
  });
  let writes = 0;
  const metrics = new OperatorMetrics();
  const client = createKubeClient(cluster.kubeConfig(), {
    onRequest: (verb, code, ms) => {
      metrics.onRequest(verb, code, ms);
      if (verb !== 'GET' && verb !== 'WATCH') writes += 1;
    },
  });
  const manager = new Manager({
    client,
    settings,
    active,
    logger: silentLogger,
    metrics,
    identity,
    defaultNamespace: ns,
  });
  await manager.start();
  return {
    manager,
    writes: () => writes,
    close: async () => {
      await manager.stop();
      client.close();
    },
  };
}

async function get(port: number | undefined, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${String(port)}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('operations endpoint and high availability', () => {
  it('serves probes and metrics; the standby is ready but writes nothing', async (t) => {
    const ns = await cluster.newNamespace('ops', t);
    await gateway(k, ns, { ip: '192.0.2.80' });
    const a = await replica(ns, 'replica-a');
    t.after(() => a.close());
    await waitFor(async () => ((await get(a.manager.port, '/readyz')).body.includes('leading') ? true : undefined), {
      timeoutMs: 15_000,
      description: 'replica-a leading and ready',
    });
    const b = await replica(ns, 'replica-b');
    t.after(() => b.close());
    assert.equal((await get(b.manager.port, '/healthz')).status, 200);
    const standby = await get(b.manager.port, '/readyz');
    assert.deepEqual(standby, { status: 200, body: 'ok: standby\n' });

    const writesOfB = b.writes();
    await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog'));
    await waitFor(() => k.get('VirtualService', ns, 'catalog'), {
      timeoutMs: 15_000,
      description: 'the leader routes it',
    });
    await waitFor(async () => ((await k.get('ExposedAPI', ns, 'catalog'))?.status ? true : undefined), {
      timeoutMs: 15_000,
      description: 'status',
    });
    assert.equal(b.writes(), writesOfB, 'the standby made no write');

    const metrics = (await get(a.manager.port, '/metrics')).body;
    for (const name of [
      'oda_api_operator_reconcile_total{result="done"}',
      'oda_api_operator_reconcile_duration_seconds_bucket',
      'oda_api_operator_workqueue_queue_duration_seconds_bucket',
      'oda_api_operator_workqueue_depth{state="queued"}',
      'oda_api_operator_workqueue_retries_total',
      'oda_api_operator_watch_restarts_total',
      'oda_api_operator_kube_requests_total{verb="PATCH",code="201"}',
      'oda_api_operator_managed_objects{kind="ExposedAPI"} 1',
      'oda_api_operator_path_conflicts 0',
      'oda_api_operator_leader 1',
      'oda_api_operator_process_resident_memory_bytes',
    ]) {
      assert.ok(metrics.includes(name), `/metrics has ${name}`);
    }
    assert.match((await get(b.manager.port, '/metrics')).body, /oda_api_operator_leader 0/);
    assert.equal((await get(a.manager.port, '/nope')).status, 404);

    // The leader stops gracefully: the lease is released and the standby leads at once.
    const stopped = Date.now();
    await a.close();
    await waitFor(async () => ((await get(b.manager.port, '/readyz')).body.includes('leading') ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'replica-b leading',
    });
    assert.ok(Date.now() - stopped < 4000, 'took over before the lease would have expired');
  });
});
