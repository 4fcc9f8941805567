import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { Reflector } from '../../core/kube/reflector.ts';
import { configMapType } from '../support/kube-fixtures.ts';
import { KubeTestProxy } from '../support/kube-test-proxy.ts';

const cluster = connectTestCluster();
const child = fileURLToPath(new URL('../support/kube-lifecycle-child.ts', import.meta.url));

function runChild(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [child, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
        stdout,
        stderr,
        ms: performance.now() - started,
      });
    });
  });
}

describe('reflector lifecycle', { timeout: 60_000 }, () => {
  it('stop() closes the watch connection at once', async (t) => {
    const namespace = await cluster.newNamespace('kube-stop', t);
    const proxy = await KubeTestProxy.start(cluster.kubeConfig());
    t.after(() => proxy.close());
    const client = createKubeClient(proxy.kubeConfig());
    t.after(() => client.close());
    const reflector = new Reflector({
      client,
      resourceType: configMapType,
      namespace,
      project: (raw) => raw.metadata.name,
    });
    reflector.start();
    await reflector.synced();
    await waitFor(() => (proxy.liveWatches === 1 ? true : undefined), {
      description: 'the watch',
      timeoutMs: 10_000,
      intervalMs: 10,
    });
    await reflector.stop();
    await waitFor(() => (proxy.liveWatches === 0 ? true : undefined), {
      description: 'the proxy to see the watch closed',
      timeoutMs: 2_000,
      intervalMs: 10,
    });
    assert.equal(reflector.hasSynced, true);
  });

  it('leaves nothing that keeps the process alive after stop() (with or without client.close())', async (t) => {
    const namespace = await cluster.newNamespace('kube-handles', t);
    for (const mode of ['close', 'keep']) {
      const result = await runChild([cluster.kubeconfigPath, namespace, mode]);
      assert.equal(result.code, 0, `child (${mode}) failed or hung: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as { resources: string[] };
      const keepAlive = report.resources.filter((name) => name !== 'Immediate');
      assert.deepEqual(keepAlive, [], `${mode}: still active after stop(): ${keepAlive.join(', ')}`);
      t.diagnostic(`${mode}: child started, synced, watched, stopped and exited in ${result.ms.toFixed(0)} ms`);
    }
  });
});
