import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../core/kube/backoff.ts';

describe('reconnect backoff', () => {
  it('doubles from 0.8 s to a 30 s ceiling without jitter at random = 0', () => {
    const backoff = new Backoff({ random: () => 0 });
    const delays = Array.from({ length: 9 }, () => backoff.next());
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]);
    assert.equal(backoff.failures, 9);
  });

  it('jitters downwards by at most a quarter, so the bounds hold', () => {
    const backoff = new Backoff({ random: () => 0.999_999 });
    assert.equal(backoff.next(), 600);
    for (let i = 0; i < 10; i += 1) backoff.next();
    const capped = backoff.next();
    assert.ok(capped >= 22_500 && capped <= 30_000, String(capped));
  });

  it('spreads clients that failed together', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const firsts = new Set(Array.from({ length: 20 }, () => new Backoff({ random }).next()));
    assert.ok(firsts.size > 10, `only ${firsts.size} distinct first delays`);
    for (const delay of firsts) assert.ok(delay > 600 && delay <= 800, String(delay));
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ random: () => 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.equal(backoff.failures, 0);
    assert.equal(backoff.next(), 800);
  });

  it('rejects nonsense settings', () => {
    assert.throws(() => new Backoff({ initialMs: 0 }), RangeError);
    assert.throws(() => new Backoff({ initialMs: 100, maxMs: 50 }), RangeError);
  });
});
