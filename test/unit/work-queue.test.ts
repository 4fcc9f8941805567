import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Observable, VirtualTimeScheduler, of, timer, map } from 'rxjs';
import { WorkQueue } from '../../core/pipeline/work-queue.ts';
import type { WorkOutcome, WorkResult } from '../../core/pipeline/work-queue.ts';

/** A queue on virtual time whose work takes `durationMs` and answers from `results`. */
function harness(options: {
  concurrency?: number;
  durationMs?: number;
  results?: (key: string, attempt: number) => WorkResult;
}) {
  const scheduler = new VirtualTimeScheduler();
  const starts: { key: string; at: number }[] = [];
  const attempts = new Map<string, number>();
  const running = new Set<string>();
  let maxParallel = 0;
  let maxParallelSameKey = 0;
  const queue = new WorkQueue(
    (key) => {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      starts.push({ key, at: scheduler.now() });
      if (running.has(key)) maxParallelSameKey = 2;
      running.add(key);
      maxParallel = Math.max(maxParallel, running.size);
      return timer(options.durationMs ?? 10, scheduler).pipe(
        map(() => {
          running.delete(key);
          return options.results?.(key, attempt) ?? { type: 'done' as const };
        }),
      );
    },
    { concurrency: options.concurrency ?? 4, backoff: { baseMs: 5, maxMs: 300_000 }, scheduler, random: () => 0 },
  );
  const outcomes: WorkOutcome[] = [];
  queue.outcomes$.subscribe((o) => outcomes.push(o));
  return {
    scheduler,
    queue,
    starts,
    outcomes,
    stats: () => ({ maxParallel, maxParallelSameKey }),
    flushUntil: (t: number) => {
      scheduler.maxFrames = t;
      scheduler.flush();
    },
  };
}

describe('WorkQueue', () => {
  it('coalesces a burst for one key into one run, plus one for changes during the run', () => {
    const h = harness({});
    for (let i = 0; i < 100; i += 1) h.queue.add('a');
    h.flushUntil(5);
    for (let i = 0; i < 50; i += 1) h.queue.add('a'); // while in flight
    h.flushUntil(1000);
    assert.deepEqual(
      h.starts.map((s) => [s.key, s.at]),
      [
        ['a', 0],
        ['a', 10],
      ],
    );
    assert.equal(h.stats().maxParallelSameKey, 0, 'never two runs of one key at once');
  });

  it('bounds concurrency over keys and keeps first-come order', () => {
    const h = harness({ concurrency: 2 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) h.queue.add(k);
    h.flushUntil(1000);
    assert.equal(h.stats().maxParallel, 2);
    assert.deepEqual(
      h.starts.map((s) => `${s.key}@${s.at}`),
      ['a@0', 'b@0', 'c@10', 'd@10', 'e@20'],
    );
    assert.deepEqual(
      h.outcomes.map((o) => o.queuedMs),
      [0, 0, 10, 10, 20],
    );
  });

  it('backs off exponentially per key on failure and resets after success', () => {
    const h = harness({
      results: (key, attempt) =>
        key === 'bad' && attempt <= 5 ? { type: 'retry', error: new Error('x') } : { type: 'done' },
    });
    h.queue.add('bad');
    h.queue.add('good');
    h.flushUntil(10_000);
    const bad = h.starts.filter((s) => s.key === 'bad').map((s) => s.at);
    // runs take 10 ms; delays 5, 10, 20, 40, 80 ms between the end of one and the start of the next
    assert.deepEqual(bad, [0, 15, 35, 65, 115, 205]);
    assert.deepEqual(
      h.outcomes.filter((o) => o.key === 'bad').map((o) => o.failures),
      [1, 2, 3, 4, 5, 0],
    );
    assert.deepEqual(
      h.starts.filter((s) => s.key === 'good').map((s) => s.at),
      [0],
    );
  });

  it('caps the backoff at the maximum', () => {
    const h = harness({ results: () => ({ type: 'retry', error: new Error('always') }) });
    h.queue.add('k');
    h.flushUntil(3_600_000);
    const at = h.starts.map((s) => s.at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0) - 10);
    assert.equal(Math.max(...gaps), 300_000);
    assert.ok(at.length < 40, `bounded retries in an hour, got ${at.length}`);
  });

  it('does not retry terminal results and requeues without counting a failure', () => {
    const h = harness({
      results: (key, attempt) =>
        key === 't'
          ? { type: 'terminal', error: new Error('bad spec') }
          : attempt === 1
            ? { type: 'requeue', afterMs: 500 }
            : { type: 'done' },
    });
    h.queue.add('t');
    h.queue.add('r');
    h.flushUntil(100_000);
    assert.deepEqual(
      h.starts.map((s) => `${s.key}@${s.at}`),
      ['t@0', 'r@0', 'r@510'],
    );
    assert.deepEqual(
      h.outcomes.map((o) => o.failures),
      [0, 0, 0],
    );
  });

  it('runs a delayed key at once when it changes again', () => {
    const h = harness({
      results: (_k, attempt) => (attempt === 1 ? { type: 'retry', error: new Error('x') } : { type: 'done' }),
    });
    h.queue.add('k');
    h.flushUntil(12);
    h.queue.add('k'); // virtual clock stands at 10: inside the 5 ms backoff after the failure
    h.flushUntil(1000);
    assert.deepEqual(
      h.starts.map((s) => s.at),
      [0, 10],
      'not after the 5 ms backoff (15)',
    );
  });

  it('survives work that throws synchronously, rejects or completes empty', async () => {
    const scheduler = new VirtualTimeScheduler();
    const outcomes: WorkOutcome[] = [];
    const queue = new WorkQueue(
      (key) => {
        if (key === 'throw') throw new Error('sync');
        if (key === 'reject') return Promise.reject(new Error('async'));
        if (key === 'empty')
          return new Observable<WorkResult>((s) => {
            s.complete();
          });
        return of({ type: 'done' as const });
      },
      { concurrency: 1, backoff: { baseMs: 1000, maxMs: 1000 }, scheduler, random: () => 0 },
    );
    queue.outcomes$.subscribe((o) => outcomes.push(o));
    for (const k of ['throw', 'reject', 'empty', 'fine']) queue.add(k);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(outcomes.map((o) => [o.key, o.result.type]).sort(), [
      ['empty', 'retry'],
      ['fine', 'done'],
      ['reject', 'retry'],
      ['throw', 'retry'],
    ]);
    assert.deepEqual(await queue.stop(100), []);
  });
});
