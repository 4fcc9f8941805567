import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { connectTestCluster } from '../cluster/index.ts';
import { discoverResources } from '../../core/kube/discovery.ts';
import { KubeApiError } from '../../core/kube/kube-api-error.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { createObject, deleteObject, jsonPatch, mergePatch, serverSideApply } from '../../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { objectPath } from '../../core/kube/resource-type.ts';
import { configMapType } from '../support/kube-fixtures.ts';
import { VirtualTimers } from '../support/virtual-timers.ts';

const cluster = connectTestCluster();

interface ConfigMap extends KubeRawObject {
  data?: Record<string, string>;
}

describe('kube client against the API server', { timeout: 60_000 }, () => {
  it('creates, applies, patches and deletes with typed errors', async (t) => {
    const namespace = await cluster.newNamespace('kube-client', t);
    const calls: [string, number][] = [];
    const client = createKubeClient(cluster.kubeConfig(), { onRequest: (verb, status) => calls.push([verb, status]) });
    t.after(() => client.close());
    const rt = configMapType;

    const created = await createObject<ConfigMap>(client, rt, { metadata: { name: 'c', namespace }, data: { a: '1' } });
    assert.ok(created.metadata.uid);
    await assert.rejects(createObject(client, rt, { metadata: { name: 'c', namespace } }), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 409);
      assert.equal(error.reason, 'AlreadyExists');
      assert.equal(error.status?.code, 409);
      return true;
    });

    const applied = await serverSideApply<ConfigMap>(
      client,
      rt,
      { metadata: { name: 'c', namespace }, data: { b: '2' } },
      { fieldManager: 'test-a', force: true },
    );
    assert.deepEqual(applied.data, { a: '1', b: '2' }, 'apply merges with fields other managers own');
    const managers = (applied.metadata.managedFields as { manager: string; operation: string }[]).map(
      (entry) => `${entry.manager}:${entry.operation}`,
    );
    assert.ok(managers.includes('test-a:Apply'), managers.join());

    const merged = await mergePatch<ConfigMap>(client, rt, namespace, 'c', { data: { a: null, c: '3' } });
    assert.deepEqual(merged.data, { b: '2', c: '3' });
    const patched = await jsonPatch<ConfigMap>(client, rt, namespace, 'c', [
      { op: 'test', path: '/data/c', value: '3' },
      { op: 'replace', path: '/data/c', value: '4' },
    ]);
    assert.equal(patched.data?.c, '4');
    await assert.rejects(
      jsonPatch(client, rt, namespace, 'c', [{ op: 'test', path: '/data/c', value: 'nope' }]),
      (error: unknown) => {
        return error instanceof KubeApiError && error.statusCode === 422;
      },
    );

    await assert.rejects(deleteObject(client, rt, namespace, 'c', { uid: 'not-the-uid' }), (error: unknown) => {
      return error instanceof KubeApiError && error.statusCode === 409 && error.reason === 'Conflict';
    });
    assert.equal(await deleteObject(client, rt, namespace, 'c', { uid: created.metadata.uid ?? '' }), true);
    assert.equal(await deleteObject(client, rt, namespace, 'c'), false, '404 is not an error');

    await assert.rejects(client.request({ method: 'GET', path: objectPath(rt, namespace, 'c') }), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 404);
      assert.equal(error.reason, 'NotFound');
      assert.match(error.message, /configmaps "c" not found/);
      return true;
    });
    assert.deepEqual(calls.slice(0, 3), [
      ['POST', 201],
      ['POST', 409],
      ['PATCH', 200],
    ]);
    assert.deepEqual(calls.at(-1), ['GET', 404]);
  });

  it('discovers served resources and tells an absent group version', async (t) => {
    const client = createKubeClient(cluster.kubeConfig());
    t.after(() => client.close());
    const core = await discoverResources(client, 'v1');
    assert.ok(core?.has('configmaps') && core.has('services/status'));
    const oda = await discoverResources(client, 'oda.tmforum.org/v1');
    assert.ok(oda);
    assert.ok(oda.has('exposedapis'));
    assert.equal(oda.has('exposedapis/status'), (await cluster.crdVariant()) === 'project');
    assert.equal(await discoverResources(client, 'absent.example.com/v1'), undefined);
  });

  it('rate-limits writes only, waiting instead of failing', async (t) => {
    const namespace = await cluster.newNamespace('kube-rate', t);
    const client = createKubeClient(cluster.kubeConfig(), { writeQps: 10, writeBurst: 2 });
    t.after(() => client.close());
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        createObject(client, configMapType, { metadata: { name: `c${i}`, namespace } }),
      ),
    );
    const writesMs = performance.now() - started;
    assert.ok(writesMs >= 450, `7 writes at 10/s after a burst of 2 took only ${writesMs.toFixed(0)} ms`);
    const readsStarted = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        client.request({ method: 'GET', path: objectPath(configMapType, namespace, 'c0') }),
      ),
    );
    assert.ok(performance.now() - readsStarted < 450, 'reads are not limited');
  });

  it('reports a network failure as status 0 and a deadline as Timeout', async (t) => {
    const port = await closedPort();
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}` }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const client = createKubeClient(kc);
    t.after(() => client.close());
    await assert.rejects(client.request({ method: 'GET', path: '/version' }), (error: unknown) => {
      return (
        error instanceof KubeApiError &&
        error.statusCode === 0 &&
        error.reason === 'NetworkError' &&
        error.message.includes('ECONNREFUSED')
      );
    });
    const real = createKubeClient(cluster.kubeConfig());
    t.after(() => real.close());
    // A watch with no event for 1 s: the server holds the request open, the deadline fires.
    await assert.rejects(
      real.request({
        method: 'GET',
        path: '/api/v1/namespaces',
        query: { watch: true, resourceVersion: '0', labelSelector: 'none=none' },
        timeoutMs: 300,
      }),
      (error: unknown) => {
        return error instanceof KubeApiError && error.statusCode === 0 && error.reason === 'Timeout';
      },
    );
    const controller = new AbortController();
    const pending = real.request({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: { watch: true, labelSelector: 'none=none' },
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof KubeApiError && error.reason === 'Aborted');
  });

  it('re-reads credentials at most every 60 s, and at once after a 401 (token rotation)', async (t) => {
    const namespace = await cluster.newNamespace('kube-auth', t);
    const tokenOf = async (name: string): Promise<string> => {
      const kc = new KubeConfig();
      kc.loadFromFile(await cluster.mintServiceAccountKubeconfig(namespace, name));
      const token = kc.getCurrentUser()?.token;
      assert.ok(token);
      return token;
    };
    const [first, second] = await Promise.all([tokenOf('one'), tokenOf('two')]);
    const kc = new CountingKubeConfig();
    const server = cluster.kubeConfig().getCurrentCluster();
    assert.ok(server);
    const useToken = (token: string): void => {
      kc.loadFromOptions({
        clusters: [server],
        users: [{ name: 'sa', token }],
        contexts: [{ name: 'sa', cluster: server.name, user: 'sa' }],
        currentContext: 'sa',
      });
    };
    useToken(first);
    const timers = new VirtualTimers();
    const client = createKubeClient(kc, { timers });
    t.after(() => client.close());
    const whoAmI = async (): Promise<string> => {
      const review = await client.request<{ status: { userInfo: { username: string } } }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      });
      return review.body.status.userInfo.username;
    };
    assert.equal(await whoAmI(), `system:serviceaccount:${namespace}:one`);
    useToken(second);
    await timers.advance(59_000);
    assert.equal(await whoAmI(), `system:serviceaccount:${namespace}:one`, 'cached for 60 s');
    await timers.advance(1_000);
    assert.equal(await whoAmI(), `system:serviceaccount:${namespace}:two`, 'refreshed after 60 s');
    assert.equal(kc.applied, 2);

    useToken('not-a-valid-token');
    await timers.advance(60_000);
    await assert.rejects(whoAmI(), (error: unknown) => error instanceof KubeApiError && error.statusCode === 401);
    useToken(first);
    assert.equal(await whoAmI(), `system:serviceaccount:${namespace}:one`, 'a 401 drops the cached credentials');
  });
});

class CountingKubeConfig extends KubeConfig {
  applied = 0;

  override async applyToHTTPSOptions(...args: Parameters<KubeConfig['applyToHTTPSOptions']>): Promise<void> {
    this.applied += 1;
    await super.applyToHTTPSOptions(...args);
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}
