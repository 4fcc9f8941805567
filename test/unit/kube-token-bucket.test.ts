import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../core/kube/token-bucket.ts';
import { VirtualTimers, settle } from '../support/virtual-timers.ts';

describe('write token bucket', () => {
  it('lets a burst through at once, then paces at qps', () => {
    const timers = new VirtualTimers();
    const bucket = new TokenBucket({ qps: 10, burst: 3, timers });
    assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve()], [0, 0, 0]);
    assert.equal(bucket.reserve(), 100);
    assert.equal(bucket.reserve(), 200);
  });

  it('refills with time, up to the burst', async () => {
    const timers = new VirtualTimers();
    const bucket = new TokenBucket({ qps: 2, burst: 2, timers });
    bucket.reserve();
    bucket.reserve();
    await timers.advance(500);
    assert.equal(bucket.reserve(), 0);
    await timers.advance(60_000);
    assert.equal(bucket.available, 2);
  });

  it('makes callers wait, in arrival order, instead of failing', async () => {
    const timers = new VirtualTimers();
    const bucket = new TokenBucket({ qps: 1, burst: 1, timers });
    const done: number[] = [];
    const takes = [1, 2, 3].map((id) => bucket.take().then(() => done.push(id)));
    await settle();
    assert.deepEqual(done, [1]);
    await timers.advance(999);
    assert.deepEqual(done, [1]);
    await timers.advance(1);
    assert.deepEqual(done, [1, 2]);
    await timers.advance(1000);
    await Promise.all(takes);
    assert.deepEqual(done, [1, 2, 3]);
  });

  it('gives the token back when the waiter aborts', async () => {
    const timers = new VirtualTimers();
    const bucket = new TokenBucket({ qps: 1, burst: 1, timers });
    bucket.reserve();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    assert.equal(timers.pendingCount, 0);
    assert.equal(bucket.available, 0);
  });
});
