import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError } from '../../core/kube/kube-api-error.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import {
  Reflector,
  type CacheChange,
  type ReflectorOptions,
  type ReflectorRestart,
} from '../../core/kube/reflector.ts';
import type { ResourceType } from '../../core/kube/resource-type.ts';
import { FakeKubeApi, gone } from '../support/fake-kube-api.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { settle, VirtualTimers } from '../support/virtual-timers.ts';

const configMaps: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};

interface Projection {
  readonly name: string;
  readonly rv: string;
  readonly value: unknown;
}

function setup(options: Partial<ReflectorOptions<Projection>> = {}) {
  const api = new FakeKubeApi();
  const timers = new VirtualTimers();
  const logger = recordingLogger();
  const reflector = new Reflector<Projection>({
    client: api,
    resourceType: configMaps,
    project: (raw: KubeRawObject) => ({
      name: raw.metadata.name,
      rv: raw.metadata.resourceVersion ?? '',
      value: raw.data,
    }),
    timers,
    logger,
    random: () => 0,
    ...options,
  });
  const changes: CacheChange<Projection>[] = [];
  const restarts: ReflectorRestart[] = [];
  reflector.changes$.subscribe((change) => changes.push(change));
  reflector.restarts$.subscribe((restart) => restarts.push(restart));
  return { api, timers, logger, reflector, changes, restarts };
}

const summary = (changes: readonly CacheChange<Projection>[]): string[] =>
  changes.map((change) => `${change.type} ${change.name} ${change.current?.rv ?? '-'}`);

describe('reflector', () => {
  it('lists in pages, syncs, then watches from the list resourceVersion with bookmarks', async () => {
    const { api, reflector, changes } = setup({ pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) api.put('ns', name, { data: { n: name } });
    reflector.start();
    await reflector.synced();
    assert.deepEqual(
      api.listQueries.map((query) => [query.limit, query.continue]),
      [
        [2, undefined],
        [2, '0:2'],
        [2, '0:4'],
      ],
    );
    assert.equal(reflector.size, 5);
    assert.deepEqual(reflector.get('ns', 'c'), { name: 'c', rv: '103', value: { n: 'c' } });
    assert.equal(changes.length, 5);
    await settle();
    const watch = api.watches[0];
    assert.equal(watch?.query.resourceVersion, '105');
    assert.equal(watch.query.allowWatchBookmarks, true);
    assert.ok(Number(watch.query.timeoutSeconds) >= 300 && Number(watch.query.timeoutSeconds) <= 600);
    await reflector.stop();
  });

  it('applies watch events to the cache before emitting them', async () => {
    const { api, reflector, changes } = setup();
    api.put('ns', 'a');
    reflector.start();
    await reflector.synced();
    await settle();
    const seenInCache: (Projection | undefined)[] = [];
    reflector.changes$.subscribe((change) => seenInCache.push(reflector.get(change.namespace, change.name)));
    api.put('ns', 'b');
    api.put('ns', 'a', { data: { x: '1' } });
    api.remove('ns', 'b');
    await settle();
    assert.deepEqual(summary(changes), ['upsert a 101', 'upsert b 102', 'upsert a 103', 'delete b -']);
    assert.equal(changes[2]?.previous?.rv, '101');
    assert.equal(changes[3]?.previous?.rv, '102');
    assert.deepEqual(
      seenInCache.map((value) => value?.rv),
      ['102', '103', undefined],
    );
    assert.equal(reflector.resourceVersion, '104');
    await reflector.stop();
  });

  it('resumes a closed watch from the last bookmark without replaying events', async () => {
    const { api, reflector, changes, restarts } = setup();
    reflector.start();
    await reflector.synced();
    await settle();
    api.put('ns', 'a');
    api.bookmark();
    await settle();
    api.watches[0]?.end();
    await settle();
    assert.equal(api.watches[1]?.query.resourceVersion, '102');
    api.put('ns', 'b');
    await settle();
    assert.deepEqual(summary(changes), ['upsert a 101', 'upsert b 103']);
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [['closed', 0]],
    );
    assert.equal(api.listQueries.length, 1, 'no relist');
    await reflector.stop();
  });

  it('relists on a 410 ERROR event, deleting what disappeared and updating what changed', async () => {
    const { api, reflector, changes, restarts } = setup();
    for (const name of ['a', 'b', 'c']) api.put('ns', name);
    reflector.start();
    await reflector.synced();
    await settle();
    api.bookmark(); // rv 104
    await settle();
    api.removeSilently('ns', 'a'); // rv 105
    api.putSilently('ns', 'b', { data: { v: 2 } }); // rv 106
    api.compactedBelow = Number(api.resourceVersion);
    api.watches[0]?.end();
    await settle();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['closed', 0],
        ['gone', 0],
      ],
    );
    assert.equal(api.watches[1]?.query.resourceVersion, '104');
    assert.equal(api.listQueries.length, 2);
    assert.deepEqual(summary(changes.slice(3)), ['upsert b 106', 'delete a -']);
    assert.deepEqual([...reflector.values()].map((value) => value.name).sort(), ['b', 'c']);
    assert.equal(api.watches.at(-1)?.query.resourceVersion, '106');
    await reflector.stop();
  });

  it('relists after a 410 answer to the watch request itself', async () => {
    const { api, reflector, restarts } = setup();
    reflector.start();
    await reflector.synced();
    await settle();
    api.put('ns', 'a');
    await settle();
    api.watchFailures.push(gone());
    api.watches[0]?.end();
    await settle();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['closed', 0],
        ['gone', 0],
      ],
    );
    assert.equal(api.listQueries.length, 2);
    await reflector.stop();
  });

  it('backs off instead of spinning when the watch right after a list is already gone', async () => {
    const { api, timers, reflector, restarts } = setup();
    api.watchFailures.push(gone(), gone());
    reflector.start();
    await reflector.synced();
    await timers.advanceToNext();
    await timers.advanceToNext();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['gone', 800],
        ['gone', 1600],
      ],
    );
    assert.equal(api.listQueries.length, 3);
    await reflector.stop();
  });

  it('restarts a silent watch after the idle timeout, not before, and bookmarks keep it alive', async () => {
    const { api, timers, reflector, restarts } = setup({ idleTimeoutMs: 70_000 });
    reflector.start();
    await reflector.synced();
    await settle();
    for (let minute = 0; minute < 5; minute += 1) {
      await timers.advance(60_000);
      api.bookmark();
    }
    assert.equal(restarts.length, 0);
    const watch = api.watches[0];
    assert.ok(watch);
    watch.frozen = true;
    await timers.advance(69_999);
    assert.equal(restarts.length, 0);
    await timers.advance(1);
    assert.deepEqual(
      restarts.map((restart) => restart.reason),
      ['idle'],
    );
    assert.ok(watch.closed, 'the frozen stream was aborted');
    assert.equal(api.watches[1]?.query.resourceVersion, api.resourceVersion);
    await reflector.stop();
  });

  it('backs off 0.8 s doubling on consecutive failures and resets after a success', async () => {
    const { api, timers, reflector, restarts } = setup({ relistAfterFailures: 100 });
    const broken = (): KubeApiError =>
      new KubeApiError({ statusCode: 0, reason: 'NetworkError', message: 'ECONNRESET', verb: 'WATCH', path: '/x' });
    api.watchFailures.push(broken(), broken(), broken());
    reflector.start();
    await reflector.synced();
    for (let i = 0; i < 3; i += 1) await timers.advanceToNext();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['error', 800],
        ['error', 1600],
        ['error', 3200],
      ],
    );
    api.put('ns', 'a');
    await settle();
    api.watches.at(-1)?.end();
    await settle();
    api.watchFailures.push(broken());
    api.watches.at(-1)?.end();
    await settle();
    assert.deepEqual(
      restarts.slice(3).map((restart) => [restart.reason, restart.delayMs]),
      [
        ['closed', 0],
        ['closed', 800],
      ],
    );
    await reflector.stop();
  });

  it('relists instead of resuming after repeated watch failures', async () => {
    const { api, timers, reflector } = setup({ relistAfterFailures: 2 });
    api.watchFailures.push(new Error('boom'), new Error('boom'));
    reflector.start();
    await reflector.synced();
    await timers.advanceToNext();
    await timers.advanceToNext();
    assert.equal(api.listQueries.length, 2);
    await reflector.stop();
  });

  it('retries a failed list with backoff and only then reports synced', async () => {
    const { api, timers, reflector, restarts } = setup();
    api.listFailures.push(new Error('connection refused'), gone());
    api.put('ns', 'a');
    reflector.start();
    await settle();
    assert.equal(reflector.hasSynced, false);
    await timers.advanceToNext();
    await timers.advanceToNext();
    await reflector.synced();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['error', 800],
        ['gone', 1600],
      ],
    );
    await reflector.stop();
  });

  it('relists authoritatively on its period', async () => {
    const { api, timers, reflector, restarts } = setup({ relistIntervalMs: 600_000, idleTimeoutMs: 3_600_000 });
    api.put('ns', 'a');
    reflector.start();
    await reflector.synced();
    api.removeSilently('ns', 'a');
    await timers.advance(600_000);
    assert.deepEqual(
      restarts.map((restart) => restart.reason),
      ['relist'],
    );
    assert.equal(api.listQueries.length, 2);
    assert.equal(reflector.size, 0);
    await reflector.stop();
  });

  it('survives malformed objects and a throwing projection', async () => {
    const { api, reflector, logger } = setup({
      project: (raw) => {
        if (raw.metadata.name === 'bad') throw new Error('cannot project');
        return { name: raw.metadata.name, rv: raw.metadata.resourceVersion ?? '', value: undefined };
      },
    });
    reflector.start();
    await reflector.synced();
    await settle();
    api.watches[0]?.push({ type: 'ADDED', object: { metadata: { namespace: 'ns' } } });
    api.put('ns', 'bad');
    api.put('ns', 'good');
    await settle();
    assert.deepEqual(
      [...reflector.values()].map((value) => value.name),
      ['good'],
    );
    assert.deepEqual(
      logger.records
        .filter((record) => record.level !== 'info' && record.level !== 'debug')
        .map((record) => record.message),
      ['skipping a malformed object in a watch event', 'cannot project object; keeping the previous state'],
    );
    assert.equal(api.watches.length, 1, 'the stream was not restarted');
    await reflector.stop();
  });

  it('treats objects the filter rejects as absent', async () => {
    const { api, reflector, changes } = setup({ filter: (raw) => raw.data !== 'skip' });
    api.put('ns', 'a');
    api.put('ns', 'b', { data: 'skip' });
    reflector.start();
    await reflector.synced();
    await settle();
    api.put('ns', 'a', { data: 'skip' });
    await settle();
    assert.deepEqual(summary(changes), ['upsert a 101', 'delete a -']);
    assert.equal(reflector.size, 0);
    await reflector.stop();
  });

  it('stops cleanly: stream aborted, no timer left, synced() rejects when never synced', async () => {
    const { api, timers, reflector } = setup();
    reflector.start();
    await reflector.synced();
    await settle();
    await reflector.stop();
    assert.ok(api.watches[0]?.closed);
    assert.equal(timers.pendingCount, 0);

    const never = setup();
    never.api.listFailures.push(new Error('down'));
    never.reflector.start();
    const synced = never.reflector.synced();
    await settle();
    await never.reflector.stop();
    await assert.rejects(synced, /stopped before it synced/);
    assert.equal(never.api.listQueries.length, 1, 'no request after stop() during the backoff');
    assert.equal(never.timers.pendingCount, 0);
    assert.throws(() => never.reflector.start(), /starts once/);
  });
  it('falls back to paginated lists, once, when the server refuses to stream them', async () => {
    const { api, logger, reflector, timers } = setup();
    api.put('ns', 'a');
    reflector.start();
    await reflector.synced();
    await settle();
    assert.equal(api.refusedStreams, 1);
    assert.equal(api.listQueries.length, 1);
    api.watches[0]?.push({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
    });
    await timers.advanceToNext();
    assert.equal(api.listQueries.length, 2, 'the relist is paginated too');
    assert.equal(api.refusedStreams, 1, 'streaming is not asked again');
    assert.deepEqual(
      logger.records.filter((r) => r.message.includes('does not stream')).map((r) => r.level),
      ['info'],
    );
    await reflector.stop();
  });
});

describe('reflector with a server that streams lists', () => {
  it('lists by streaming, then the same watch carries the changes', async () => {
    const { api, logger, reflector, changes } = setup();
    api.streamingLists = true;
    for (const name of ['a', 'b', 'c']) api.put('ns', name, { data: { n: name } });
    reflector.start();
    await reflector.synced();
    assert.equal(api.listQueries.length, 0);
    assert.equal(reflector.size, 3);
    assert.equal(reflector.resourceVersion, '103');
    const watch = api.watches[0];
    assert.ok(watch);
    assert.equal(watch.query.sendInitialEvents, true);
    assert.equal(watch.query.resourceVersionMatch, 'NotOlderThan');
    assert.equal(watch.query.resourceVersion, undefined, 'a consistent read');
    assert.equal(watch.query.allowWatchBookmarks, true);
    api.put('ns', 'a', { data: { n: 'changed' } });
    api.remove('ns', 'b');
    await settle();
    assert.deepEqual(summary(changes), ['upsert a 101', 'upsert b 102', 'upsert c 103', 'upsert a 104', 'delete b -']);
    assert.equal(api.watches.length, 1);
    assert.deepEqual(
      logger.records.filter((r) => r.message === 'listed').map((r) => (r.fields as { mode?: string }).mode),
      ['stream'],
    );
    await reflector.stop();
  });

  it('relists by streaming on its period, deleting what the stream did not contain', async () => {
    const { api, timers, reflector, restarts, changes } = setup({
      relistIntervalMs: 600_000,
      idleTimeoutMs: 3_600_000,
    });
    api.streamingLists = true;
    api.put('ns', 'a');
    api.put('ns', 'b');
    reflector.start();
    await reflector.synced();
    api.removeSilently('ns', 'a');
    await timers.advance(600_000);
    assert.deepEqual(
      restarts.map((restart) => restart.reason),
      ['relist'],
    );
    assert.equal(api.watches.length, 2);
    assert.equal(api.watches[1]?.query.sendInitialEvents, true);
    assert.deepEqual(summary(changes), ['upsert a 101', 'upsert b 102', 'delete a -']);
    await reflector.stop();
  });

  it('treats a stream that ends before its end marker as a failed list, and lists in pages after two', async () => {
    const { api, timers, reflector, restarts } = setup();
    api.streamingLists = true;
    api.omitInitialEventsEnd = true;
    api.put('ns', 'a');
    reflector.start();
    await settle();
    api.watches[0]?.end();
    await settle();
    assert.equal(reflector.hasSynced, false, 'objects without the marker are not a complete list');
    await timers.advanceToNext();
    api.watches[1]?.end();
    await settle();
    await timers.advanceToNext();
    await reflector.synced();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [
        ['error', 800],
        ['error', 1600],
      ],
    );
    assert.equal(api.listQueries.length, 1, 'the third attempt was paginated');
    assert.equal(api.watches.length, 3);
    assert.equal(api.watches[2]?.query.sendInitialEvents, undefined);
    await reflector.stop();
  });

  it('backs off and streams again after a watch failure that is not a refusal', async () => {
    const { api, timers, reflector, restarts } = setup();
    api.streamingLists = true;
    api.watchFailures.push(
      new KubeApiError({ statusCode: 503, reason: 'ServiceUnavailable', message: 'x', verb: 'WATCH', path: '/x' }),
    );
    api.put('ns', 'a');
    reflector.start();
    await settle();
    await timers.advanceToNext();
    await reflector.synced();
    assert.deepEqual(
      restarts.map((restart) => [restart.reason, restart.delayMs]),
      [['error', 800]],
    );
    assert.equal(api.listQueries.length, 0);
    assert.equal(api.watches[0]?.query.sendInitialEvents, true);
    await reflector.stop();
  });
});
