import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventSink } from '../../core/operator/event-sink.ts';
import { silentLogger } from '../../core/observability/logger.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A sink whose busy state and clock the test drives, and the names of the Events it wrote. */
function recordingSink(busy: () => boolean, now: () => number) {
  const written: string[] = [];
  const sink = new EventSink({ maxQueue: 10, concurrency: 1, logger: silentLogger, busy, maxDeferMs: 30_000, now });
  const write = (name: string) => (): Promise<void> => {
    written.push(name);
    return Promise.resolve();
  };
  return { sink, written, write };
}

describe('EventSink', () => {
  it('holds Normal Events while reconciles are pending, writes Warnings at once, then the rest', async () => {
    let busy = true;
    const { sink, written, write } = recordingSink(
      () => busy,
      () => 0,
    );
    sink.enqueue(write('created-a'));
    sink.enqueue(write('created-b'));
    sink.enqueue(write('invalid-c'), true);
    await tick();
    assert.deepEqual(written, ['invalid-c'], 'only the Warning while busy');
    assert.equal(sink.queued, 2);
    busy = false;
    sink.resume();
    await tick();
    await tick();
    assert.deepEqual(written, ['invalid-c', 'created-a', 'created-b']);
    sink.stop();
  });

  it('writes a Normal Event anyway once it waited maxDeferMs, and everything on flush', async () => {
    let now = 0;
    const { sink, written, write } = recordingSink(
      () => true,
      () => now,
    );
    sink.enqueue(write('old'));
    now = 20_000;
    sink.enqueue(write('new'));
    await tick();
    assert.deepEqual(written, []);
    now = 31_000;
    sink.resume();
    await tick();
    assert.deepEqual(written, ['old'], 'the first waited 31 s; the second only 11 s');
    await sink.flush(1000);
    assert.deepEqual(written, ['old', 'new']);
    sink.stop();
  });

  it('by default holds a Normal Event for up to two minutes behind busy reconciles', async () => {
    let now = 0;
    const written: string[] = [];
    const sink = new EventSink({
      maxQueue: 10,
      concurrency: 1,
      logger: silentLogger,
      busy: () => true,
      now: () => now,
    });
    sink.enqueue(() => {
      written.push('created');
      return Promise.resolve();
    });
    now = 119_000;
    sink.resume();
    await tick();
    assert.deepEqual(written, [], 'a start at 10 000 APIs takes about 80 s');
    now = 120_000;
    sink.resume();
    await tick();
    assert.deepEqual(written, ['created']);
    sink.stop();
  });

  it('drops past maxQueue and counts', () => {
    const sink = new EventSink({ maxQueue: 1, concurrency: 1, logger: silentLogger, busy: () => true });
    sink.enqueue(() => Promise.resolve());
    sink.enqueue(() => Promise.resolve());
    assert.equal(sink.dropped, 1);
    sink.stop();
  });
});
