import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { createKubeClient, type ClosableKubeClient } from '../../core/kube/kube-client.ts';
import { createObject, deleteObject, mergePatch } from '../../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import {
  Reflector,
  type CacheChange,
  type ReflectorOptions,
  type ReflectorRestart,
} from '../../core/kube/reflector.ts';
import { configMapType } from '../support/kube-fixtures.ts';
import { KubeTestProxy, type ProxiedRequest } from '../support/kube-test-proxy.ts';
import { recordingLogger } from '../support/recording-logger.ts';

const cluster = connectTestCluster();
const label = 'kube-layer-test';

/** What the cache keeps of a ConfigMap: a few strings, never the raw object. */
interface Projection {
  readonly rv: string;
  readonly value: string | undefined;
}

const project = (raw: KubeRawObject): Projection => {
  const data = raw.data as Record<string, string> | undefined;
  return { rv: raw.metadata.resourceVersion ?? '', value: data?.value };
};

interface Harness {
  readonly namespace: string;
  readonly admin: ClosableKubeClient;
  readonly proxy: KubeTestProxy;
  readonly client: ClosableKubeClient;
  readonly reflector: Reflector<Projection>;
  readonly changes: CacheChange<Projection>[];
  readonly restarts: ReflectorRestart[];
}

/** A namespace with `count` labelled ConfigMaps and a reflector on them, through the test proxy. */
async function setUpHarness(
  t: TestContext,
  count: number,
  options: Partial<ReflectorOptions<Projection>> = {},
): Promise<Harness> {
  const namespace = await cluster.newNamespace('kube-reflector', t);
  const admin = createKubeClient(cluster.kubeConfig(), { writeQps: 2000, writeBurst: 2000 });
  t.after(() => admin.close());
  await createConfigMaps(admin, namespace, count);
  const proxy = await KubeTestProxy.start(cluster.kubeConfig());
  t.after(() => proxy.close());
  const client = createKubeClient(proxy.kubeConfig());
  t.after(() => client.close());
  const reflector = new Reflector<Projection>({
    client,
    resourceType: configMapType,
    namespace,
    labelSelector: `${label}=true`,
    project,
    logger: recordingLogger(),
    backoff: { initialMs: 100, maxMs: 1000 },
    ...options,
  });
  t.after(() => reflector.stop());
  const changes: CacheChange<Projection>[] = [];
  const restarts: ReflectorRestart[] = [];
  reflector.changes$.subscribe((change) => changes.push(change));
  reflector.restarts$.subscribe((restart) => restarts.push(restart));
  return { namespace, admin, proxy, client, reflector, changes, restarts };
}

async function createConfigMaps(client: ClosableKubeClient, namespace: string, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `cm-${String(i).padStart(5, '0')}`);
  for (let start = 0; start < names.length; start += 100) {
    await Promise.all(
      names.slice(start, start + 100).map((name) =>
        createObject(client, configMapType, {
          metadata: { name, namespace, labels: { [label]: 'true' } },
          data: { value: '0' },
        }),
      ),
    );
  }
}

async function setValue(h: Harness, name: string, value: string): Promise<string> {
  const updated = await mergePatch(h.admin, configMapType, h.namespace, name, { data: { value } });
  return updated.metadata.resourceVersion ?? '';
}

/** Started, synced, and its watch open at the proxy. */
async function running(h: Harness): Promise<void> {
  h.reflector.start();
  await h.reflector.synced();
  await waitFor(() => (h.proxy.liveWatches > 0 ? true : undefined), {
    description: 'the watch to open',
    timeoutMs: 10_000,
    intervalMs: 10,
  });
}

const cached = (h: Harness, name: string): Projection | undefined => h.reflector.get(h.namespace, name);

/** The list requests made: paginated GETs, or watches that stream a list (`sendInitialEvents`). */
const listRequests = (h: Harness): readonly ProxiedRequest[] =>
  h.proxy.requests.filter((request) => !request.watch || request.query.sendInitialEvents === 'true');

async function until(description: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => (probe() ? true : undefined), { description, timeoutMs, intervalMs: 10 });
}

for (const streaming of [true, false]) {
  describe(
    `reflector against the API server (${streaming ? 'streaming' : 'paginated'} lists)`,
    { timeout: 120_000 },
    () => {
      const setUp = (t: TestContext, count: number, options: Partial<ReflectorOptions<Projection>> = {}) =>
        setUpHarness(t, count, { streamingLists: streaming, ...options });

      it(`lists 1 200 objects ${streaming ? 'by streaming' : 'in pages of 500'} and syncs`, async (t) => {
        const created = performance.now();
        const h = await setUp(t, 1200, { streamingLists: streaming });
        const createMs = performance.now() - created;
        const started = performance.now();
        h.reflector.start();
        await h.reflector.synced();
        const listMs = performance.now() - started;
        t.diagnostic(
          `created 1200 ConfigMaps in ${createMs.toFixed(0)} ms; listed and cached them in ${listMs.toFixed(0)} ms`,
        );
        assert.equal(h.reflector.size, 1200);
        assert.equal(h.changes.length, 1200);
        assert.ok(h.changes.every((change) => change.type === 'upsert' && change.previous === undefined));
        const gets = h.proxy.requests.filter((request) => !request.watch && request.path.endsWith('/configmaps'));
        if (streaming) {
          assert.equal(gets.length, 0, 'no paginated list');
          const stream = h.proxy.watchRequests()[0];
          assert.equal(stream?.query.sendInitialEvents, 'true');
          assert.equal(stream.query.resourceVersionMatch, 'NotOlderThan');
          assert.equal(stream.query.resourceVersion, undefined, 'a consistent read');
          assert.equal(stream.query.labelSelector, `${label}=true`);
          assert.equal(h.proxy.watchRequests().length, 1, 'the stream carries on as the watch');
          const rv = await setValue(h, 'cm-00007', 'after');
          await until('a change on the same stream', () => cached(h, 'cm-00007')?.rv === rv);
          assert.equal(h.proxy.watchRequests().length, 1);
          return;
        }
        assert.deepEqual(
          gets.map((request) => [request.query.limit, request.query.continue === undefined]),
          [
            ['500', true],
            ['500', false],
            ['500', false],
          ],
        );
        await until('the watch to start', () => h.proxy.watchRequests().length > 0);
        const watch = h.proxy.watchRequests()[0];
        assert.equal(watch?.query.resourceVersion, h.reflector.resourceVersion);
        assert.equal(watch.query.allowWatchBookmarks, 'true');
        assert.equal(watch.query.labelSelector, `${label}=true`);
      });

      if (streaming) {
        it('lists in pages when the server refuses to stream (as before Kubernetes 1.27)', async (t) => {
          const h = await setUp(t, 3);
          // What a server without WatchList answers (its validation of the watch's ListOptions).
          h.proxy.answerNextWatch(422, {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message:
              'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch',
            reason: 'Invalid',
            code: 422,
          });
          await running(h);
          assert.equal(h.reflector.size, 3);
          assert.deepEqual(
            h.proxy.requests.map((request) =>
              request.watch ? `watch ${request.query.sendInitialEvents ?? ''}` : 'list',
            ),
            ['watch true', 'list', 'watch '],
          );
          assert.deepEqual(h.restarts, [], 'a refusal is not a failure');
        });
      }

      it('follows adds, modifications and deletes', async (t) => {
        const h = await setUp(t, 2);
        await running(h);
        const before = h.changes.length;
        await createObject(h.admin, configMapType, {
          metadata: { name: 'new', namespace: h.namespace, labels: { [label]: 'true' } },
          data: { value: 'n' },
        });
        const rv = await setValue(h, 'cm-00000', 'changed');
        await deleteObject(h.admin, configMapType, h.namespace, 'cm-00001');
        await createObject(h.admin, configMapType, { metadata: { name: 'unlabelled', namespace: h.namespace } });
        await until('three changes', () => h.changes.length >= before + 3);
        assert.deepEqual(
          h.changes
            .slice(before)
            .map(
              (change) =>
                `${change.type} ${change.name} ${change.previous?.value ?? '-'}→${change.current?.value ?? '-'}`,
            ),
          ['upsert new -→n', 'upsert cm-00000 0→changed', 'delete cm-00001 0→-'],
        );
        assert.deepEqual(cached(h, 'cm-00000'), { rv, value: 'changed' });
        assert.equal(cached(h, 'cm-00001'), undefined);
        assert.equal(cached(h, 'unlabelled'), undefined, 'the label selector applies to the watch');
      });

      it('resumes closed watches from the last resourceVersion without duplicates or relists', async (t) => {
        const h = await setUp(t, 5);
        await running(h);
        let last = '';
        for (let round = 0; round < 4; round += 1) {
          for (let i = 0; i < 5; i += 1) last = await setValue(h, `cm-0000${i}`, `r${round}`);
          await until(`round ${round} in the cache`, () => cached(h, 'cm-00004')?.rv === last);
          const watchesBefore = h.proxy.watchRequests().length;
          assert.equal(h.proxy.endWatches(), 1);
          await until(
            'the watch to reopen',
            () => h.proxy.watchRequests().length > watchesBefore && h.proxy.liveWatches > 0,
          );
          assert.equal(h.proxy.watchRequests().at(-1)?.query.resourceVersion, last, 'resumed from the last event seen');
        }
        const seen = h.changes.map((change) => `${change.name}@${change.current?.rv ?? ''}`);
        assert.equal(new Set(seen).size, seen.length, 'no event delivered twice');
        assert.equal(h.changes.length, 5 + 4 * 5);
        assert.deepEqual(
          h.restarts.map((restart) => restart.reason),
          ['closed', 'closed', 'closed', 'closed'],
        );
        assert.equal(listRequests(h).length, 1, 'never relisted');
      });

      it('restarts a watch frozen on a live connection after idleTimeoutMs and catches up', async (t) => {
        const h = await setUp(t, 3, { idleTimeoutMs: 1500 });
        await running(h);
        assert.equal(h.proxy.freezeWatches(), 1);
        const frozenAt = performance.now();
        const rv = await setValue(h, 'cm-00001', 'while-frozen');
        await until('the change made while frozen', () => cached(h, 'cm-00001')?.rv === rv, 10_000);
        const recoveredMs = performance.now() - frozenAt;
        t.diagnostic(`recovered from a frozen stream in ${recoveredMs.toFixed(0)} ms (idle timeout 1500 ms)`);
        assert.ok(
          recoveredMs >= 1400,
          `recovered too early (${recoveredMs.toFixed(0)} ms): was the stream really frozen?`,
        );
        assert.equal(h.restarts[0]?.reason, 'idle');
        assert.equal(listRequests(h).length, 1, 'resumed, not relisted');
      });

      it('relists on a 410 ERROR event, emitting deletes for what disappeared meanwhile', async (t) => {
        const h = await setUp(t, 4);
        await running(h);
        h.proxy.freezeWatches();
        await deleteObject(h.admin, configMapType, h.namespace, 'cm-00000');
        const rv = await setValue(h, 'cm-00001', 'after-gone');
        // What the API server sends when a watch's resourceVersion fell out of its window.
        const status = {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'too old resource version: 1 (2)',
          reason: 'Expired',
          code: 410,
        };
        h.proxy.answerNextWatch(200, `${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        h.proxy.endWatches();
        await until('the relist', () => cached(h, 'cm-00000') === undefined && cached(h, 'cm-00001')?.rv === rv);
        assert.ok(h.restarts.some((restart) => restart.reason === 'gone'));
        const afterSync = h.changes.slice(4).map((change) => `${change.type} ${change.name}`);
        assert.deepEqual(afterSync.sort(), ['delete cm-00000', 'upsert cm-00001']);
        assert.equal(h.reflector.size, 3);
        assert.equal(listRequests(h).length, 2);
      });

      it('relists on a 410 HTTP answer to the watch request', async (t) => {
        const h = await setUp(t, 2);
        await running(h);
        const status = {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'too old resource version',
          reason: 'Expired',
          code: 410,
        };
        h.proxy.answerNextWatch(410, status);
        h.proxy.endWatches();
        await until('the relist', () => listRequests(h).length === 2 && h.proxy.liveWatches > 0);
        assert.ok(h.restarts.some((restart) => restart.reason === 'gone' && restart.error !== undefined));
        assert.equal(h.reflector.size, 2);
      });

      it('survives a malformed watch line by resuming from the last good event', async (t) => {
        const h = await setUp(t, 2);
        await running(h);
        h.proxy.answerNextWatch(200, '{"type":"ADDED","object":{"metadata":{"name":"x"\n');
        h.proxy.endWatches();
        const rv = await setValue(h, 'cm-00000', 'after-garbage');
        await until('the change after the broken stream', () => cached(h, 'cm-00000')?.rv === rv);
        assert.ok(h.restarts.some((restart) => restart.reason === 'error'));
      });
    },
  );
}
