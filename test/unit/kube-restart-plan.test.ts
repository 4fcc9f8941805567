import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRestart, type Attempt } from '../../core/kube/restart-plan.ts';

const context = { eventsSinceList: 3, failures: 0, relistAfterFailures: 5 };
const plan = (attempt: Attempt, overrides: Partial<typeof context> = {}): string => {
  const { reason, backoff, relist, healthy } = planRestart(attempt, { ...context, ...overrides });
  return [reason, backoff ? 'backoff' : 'now', relist ? 'relist' : 'resume', healthy ? 'healthy' : '-'].join(' ');
};
const failed = (gone: boolean, whileListing: boolean): Attempt => ({
  kind: 'failed',
  gone,
  whileListing,
  error: new Error('x'),
});

describe('reflector restart policy', () => {
  it('resumes at once after a healthy watch ends, backs off after an empty one', () => {
    assert.equal(plan({ kind: 'watch', end: 'closed', events: 2 }), 'closed now resume healthy');
    assert.equal(plan({ kind: 'watch', end: 'closed', events: 0 }), 'closed backoff resume -');
  });

  it('resumes a dead (idle) stream at once and relists on its period', () => {
    assert.equal(plan({ kind: 'watch', end: 'idle', events: 0 }), 'idle now resume -');
    assert.equal(plan({ kind: 'watch', end: 'relist', events: 9 }), 'relist now relist healthy');
  });

  it('relists on 410, backing off only when nothing arrived since the last list or the list failed', () => {
    assert.equal(plan({ kind: 'watch', end: 'gone', events: 0 }), 'gone now relist -');
    assert.equal(plan({ kind: 'watch', end: 'gone', events: 0 }, { eventsSinceList: 0 }), 'gone backoff relist -');
    assert.equal(plan(failed(true, false)), 'gone now relist -');
    assert.equal(plan(failed(true, false), { eventsSinceList: 0 }), 'gone backoff relist -');
    assert.equal(plan(failed(true, true)), 'gone backoff relist -');
  });

  it('backs off on failures, and relists after too many in a row', () => {
    assert.equal(plan(failed(false, false)), 'error backoff resume -');
    assert.equal(plan(failed(false, false), { failures: 4 }), 'error backoff relist -');
    assert.equal(plan(failed(false, true)), 'error backoff relist -');
  });
});
