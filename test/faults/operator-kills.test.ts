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
import { GATEWAY_LABEL } from '../support/operator-harness.ts';
import { startOperatorProcess } from '../support/operator-process.ts';

/**
 * The operator process is SIGKILLed at random moments while it converges (and while APIs keep
 * changing), ten times, then restarted: the final state must be exact. Then leader failover under
 * load: two replicas, the leader is SIGKILLed, the standby takes over within the lease duration.
 */
let plane: LocalControlPlane;
let k: KubeTestClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oda-kills-'));
  plane = await startLocalControlPlane({ dir: join(dir, 'plane') });
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  k = new KubeTestClient(kc);
});
after(async () => {
  k.close();
  await plane.stop();
});

async function namespace(name: string): Promise<string> {
  await k.client.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
  await gateway(k, name, { ip: '192.0.2.60' });
  return name;
}

function operatorArgs(ns: string, extra: string[] = []): string[] {
  return [
    '--kubeconfig',
    plane.kubeconfigPath,
    '--namespaces',
    ns,
    '--gateway-selector',
    `${GATEWAY_LABEL}=${ns}`,
    '--http-port',
    '0',
    '--log-level',
    'warn',
    ...extra,
  ];
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('operator process faults', () => {
  it('converges exactly after ten SIGKILLs at random moments', async () => {
    const ns = await namespace('kills');
    const random = seeded(42);
    const expected = new Map<string, ExpectedRoute>();
    const put = async (i: number, version: number): Promise<void> => {
      const route = { path: `/k${i}/v${version}`, service: `svc-${i % 20}`, port: 8000 + version };
      expected.set(`api-${i}`, route);
      await k.apply(
        'ExposedAPI',
        exposedApiObject(ns, `api-${i}`, { path: route.path, implementation: route.service, port: route.port }),
      );
    };
    await inParallel([...Array(300).keys()], 32, (i) => put(i, 1));
    for (let round = 0; round < 10; round += 1) {
      const op = startOperatorProcess(operatorArgs(ns, ['--leader-election', 'false']), {
        logFile: join(dir, 'kills.log'),
      });
      await delay(300 + Math.floor(random() * 1500));
      op.kill('SIGKILL');
      assert.equal(await op.exited, 'SIGKILL');
      // The world moves on while the operator is down: changes, deletions, new APIs.
      const i = Math.floor(random() * 300);
      await put(i, round + 2);
      const gone = `api-${(i + 150) % 300}`;
      if (expected.delete(gone)) await k.delete('ExposedAPI', ns, gone);
      await put(300 + round, 1);
    }
    const final = startOperatorProcess(operatorArgs(ns, ['--leader-election', 'false']), {
      logFile: join(dir, 'kills.log'),
    });
    const started = Date.now();
    try {
      let gaps: string[] = [];
      await waitFor(
        async () => {
          gaps = await convergenceGaps(k, ns, expected);
          return gaps.length === 0 ? true : undefined;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 1000,
          description: `exact convergence (gaps: ${gaps.slice(0, 5).join('; ')})`,
        },
      );
      console.log(
        `# after 10 SIGKILLs: ${expected.size} APIs exact ${((Date.now() - started) / 1000).toFixed(1)} s after the last start`,
      );
    } finally {
      final.kill('SIGTERM');
      assert.equal(await final.exited, 0, 'SIGTERM: graceful exit 0');
    }
  });

  it('fails over to the standby within the lease duration and converges', async () => {
    const ns = await namespace('failover');
    const leaseArgs = [
      '--leader-election',
      'true',
      '--leader-election-namespace',
      ns,
      '--lease-duration-seconds',
      '4',
      '--renew-deadline-seconds',
      '3',
      '--retry-period-seconds',
      '1',
    ];
    const a = startOperatorProcess(operatorArgs(ns, leaseArgs), {
      logFile: join(dir, 'a.log'),
      env: { POD_NAME: 'replica-a' },
    });
    const holder = async (): Promise<string | undefined> =>
      (
        await k.client
          .request<{ spec?: { holderIdentity?: string } }>({
            method: 'GET',
            path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/oda-api-operator-istio`,
          })
          .catch(() => undefined)
      )?.body.spec?.holderIdentity;
    await waitFor(async () => ((await holder()) === 'replica-a' ? true : undefined), {
      timeoutMs: 20_000,
      description: 'replica-a leading',
    });
    const b = startOperatorProcess(operatorArgs(ns, leaseArgs), {
      logFile: join(dir, 'b.log'),
      env: { POD_NAME: 'replica-b' },
    });
    try {
      const expected = new Map<string, ExpectedRoute>();
      for (let i = 0; i < 300; i += 1) expected.set(`api-${i}`, { path: `/f${i}/v1`, service: 'svc', port: 8080 });
      await inParallel([...expected], 32, ([name, r]) =>
        k.apply('ExposedAPI', exposedApiObject(ns, name, { path: r.path, implementation: r.service })),
      );
      a.kill('SIGKILL');
      const killed = Date.now();
      await waitFor(async () => ((await holder()) === 'replica-b' ? true : undefined), {
        timeoutMs: 20_000,
        intervalMs: 200,
        description: 'replica-b taking over',
      });
      const takeover = (Date.now() - killed) / 1000;
      assert.ok(
        takeover <= 4 + 2,
        `took over within the lease duration plus a retry period (${takeover.toFixed(1)} s)`,
      );
      await waitFor(async () => ((await convergenceGaps(k, ns, expected)).length === 0 ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 1000,
        description: 'exact convergence by the new leader',
      });
      console.log(
        `# failover: standby leading ${takeover.toFixed(1)} s after the leader was killed; ${expected.size} APIs exact ${((Date.now() - killed) / 1000).toFixed(1)} s after`,
      );
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGTERM');
      assert.equal(await b.exited, 0);
    }
    assert.equal(await holder(), '', 'the lease was released on SIGTERM');
  });
});
