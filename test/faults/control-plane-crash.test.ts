import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { startLocalControlPlane, waitFor } from '../cluster/index.ts';
import type { LocalControlPlane } from '../cluster/index.ts';
import { delay } from '../cluster/wait-for.ts';
import { convergenceGaps, inParallel } from '../support/bulk.ts';
import type { ExpectedRoute } from '../support/bulk.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';

/**
 * The API server and etcd die (SIGKILL) and come back while the operator converges 500 APIs.
 * The operator must recover on its own, without a restart, and converge exactly.
 */
let plane: LocalControlPlane;
let k: KubeTestClient;
let kc: KubeConfig;

before(async () => {
  plane = await startLocalControlPlane({ dir: mkdtempSync(join(tmpdir(), 'oda-faults-')) });
  kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  k = new KubeTestClient(kc);
});
after(async () => {
  k.close();
  await plane.stop();
});

const N = 500;

describe('control plane crashes', () => {
  it(`recovers from kube-apiserver and etcd crashes while converging ${N} APIs`, async () => {
    const ns = 'crash';
    await k.client.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } } });
    await gateway(k, ns, { ip: '192.0.2.50' });
    const expected = new Map<string, ExpectedRoute>();
    for (let i = 0; i < N; i += 1)
      expected.set(`api-${i}`, { path: `/c${i}/tmf-api/x/v4`, service: `svc-${i % 50}`, port: 8080 });
    await inParallel([...expected], 32, ([name, r]) =>
      k.apply('ExposedAPI', exposedApiObject(ns, name, { path: r.path, implementation: r.service })),
    );
    const op = await startOperator(kc, { namespace: ns, settings: { concurrency: '4', writeQps: '100' } });
    try {
      await waitFor(
        async () =>
          (
            await k.client.request<{ items: unknown[] }>({
              method: 'GET',
              path: `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`,
              query: { limit: 60 },
            })
          ).body.items.length >= 50
            ? true
            : undefined,
        {
          timeoutMs: 60_000,
          description: 'convergence under way',
        },
      );
      await plane.kill('kube-apiserver');
      await delay(3000); // the outage itself: nothing to wait for
      const apiBack = Date.now();
      await plane.revive('kube-apiserver');
      await plane.kill('etcd');
      await delay(3000);
      await plane.revive('etcd');
      let gaps: string[] = [];
      await waitFor(
        async () => {
          gaps = await convergenceGaps(k, ns, expected);
          return gaps.length === 0 ? true : undefined;
        },
        {
          timeoutMs: 180_000,
          intervalMs: 1000,
          description: `exact convergence (last gaps: ${gaps.slice(0, 5).join('; ')})`,
        },
      );
      console.log(
        `# recovered and converged ${N} APIs ${((Date.now() - apiBack) / 1000).toFixed(1)} s after the API server came back`,
      );
      assert.deepEqual(await convergenceGaps(k, ns, expected), []);
      assert.ok(
        op.outcomes.some((o) => o.result.type === 'retry'),
        'the outage was felt (some reconciles failed and were retried)',
      );
    } finally {
      await op.stop();
    }
  });
});
