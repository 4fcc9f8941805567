import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { HeapTrimmer } from '../../core/observability/heap-trimmer.ts';

const MiB = 1024 * 1024;

/** A process whose RSS the test sets; a trim brings it down to `live`. */
function fakeProcess(start: number) {
  const p = { rss: start * MiB, live: start * MiB, gcs: 0, now: 0, rssReads: 0 };
  const gc = (options: { flavor: string }): void => {
    assert.equal(options.flavor, 'last-resort', 'only a last-resort GC gives pages back');
    p.gcs++;
    p.rss = p.live;
  };
  const trimmer = (onTrim: (t: { beforeBytes: number; afterBytes: number }) => void = () => undefined): HeapTrimmer =>
    new HeapTrimmer({
      thresholdBytes: 32 * MiB,
      intervalMs: 1000,
      gc,
      rss: () => {
        p.rssReads++;
        return p.rss;
      },
      onTrim,
      now: () => p.now,
    });
  return { p, gc, trimmer };
}

describe('HeapTrimmer', () => {
  it('trims once the RSS grew by the threshold, counted from what the last trim left', () => {
    const { p, trimmer: make } = fakeProcess(90);
    const trims: number[] = [];
    const trimmer = make((t) => trims.push(Math.round((t.beforeBytes - t.afterBytes) / MiB)));
    p.rss = 120 * MiB;
    assert.equal(trimmer.check(), false, '30 MiB of growth: below the threshold');
    p.rss = 200 * MiB;
    p.live = 140 * MiB;
    assert.equal(trimmer.check(), true);
    assert.deepEqual(trims, [60]);
    p.rss = 165 * MiB;
    assert.equal(trimmer.check(), false, 'growth counts from the 140 MiB the trim left, not from the start');
    p.rss = 175 * MiB;
    assert.equal(trimmer.check(), true);
    assert.equal(p.gcs, 2);
  });

  it('counts growth from the lowest point when memory went down by itself', () => {
    const { p, trimmer: make } = fakeProcess(200);
    const trimmer = make();
    p.rss = 100 * MiB;
    assert.equal(trimmer.check(), false);
    p.rss = 140 * MiB;
    p.live = 100 * MiB;
    assert.equal(trimmer.check(), true);
  });

  it('trims at a quarter of the threshold when the work queue drained', () => {
    const { p, trimmer: make } = fakeProcess(100);
    const trimmer = make();
    p.rss = 106 * MiB;
    assert.equal(trimmer.idle(), false, '6 MiB: not worth a GC');
    p.rss = 110 * MiB;
    assert.equal(trimmer.check(), false, '10 MiB: below the threshold while busy');
    assert.equal(trimmer.idle(), true, '10 MiB: enough once idle');
    assert.equal(p.gcs, 1);
  });

  it('polled after each unit of work, reads the RSS at most once per interval', () => {
    const { p, trimmer: make } = fakeProcess(100);
    const trimmer = make();
    const reads = p.rssReads;
    p.rss = 140 * MiB;
    for (let i = 0; i < 500; i++) {
      p.now += 1;
      trimmer.poll();
    }
    assert.equal(p.rssReads - reads, 0, 'less than an interval since the trimmer was made');
    p.now += 500;
    assert.equal(trimmer.poll(), true, 'an interval passed: checked, and 40 MiB of growth trims');
    assert.equal(p.gcs, 1);
    const afterTrim = p.rssReads;
    p.now += 999;
    assert.equal(trimmer.poll(), false);
    assert.equal(p.rssReads, afterTrim, 'the interval counts from the last check');
    p.now += 1;
    trimmer.poll();
    assert.equal(p.rssReads, afterTrim + 1);
  });

  it('does nothing without gc or with a threshold of 0', () => {
    const { p, gc } = fakeProcess(90);
    const off = new HeapTrimmer({ thresholdBytes: 0, intervalMs: 5000, gc, rss: () => p.rss, onTrim: () => undefined });
    const noGc = new HeapTrimmer({
      thresholdBytes: MiB,
      intervalMs: 5000,
      gc: undefined,
      rss: () => p.rss,
      onTrim: () => undefined,
    });
    p.rss = 500 * MiB;
    assert.equal(off.check(), false);
    assert.equal(noGc.check(), false);
    assert.equal(off.enabled || noGc.enabled, false);
    off.start();
    noGc.start();
    assert.equal(p.gcs, 0);
  });

  it('gives memory back for real in node --expose-gc', () => {
    const module = new URL('../../core/observability/heap-trimmer.ts', import.meta.url).href;
    const script = `
      import { HeapTrimmer, exposedGc } from ${JSON.stringify(module)};
      const released = [];
      const trimmer = new HeapTrimmer({
        thresholdBytes: 1, intervalMs: 1000, gc: exposedGc(), rss: () => process.memoryUsage.rss(),
        onTrim: (t) => released.push(t.beforeBytes - t.afterBytes),
      });
      const keep = Array.from({ length: 20000 }, (_, i) => 'k'.repeat(500) + i);
      let junk;
      for (let r = 0; r < 20; r++) junk = Array.from({ length: 20000 }, (_, i) => ({ i, s: 'j'.repeat(300) + i }));
      junk = undefined;
      trimmer.check();
      process.stdout.write(JSON.stringify({ enabled: trimmer.enabled, released, kept: keep.length }));
    `;
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--max-semi-space-size=4', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(out) as { enabled: boolean; released: number[] };
    assert.equal(result.enabled, true);
    assert.equal(result.released.length, 1);
    assert.ok((result.released[0] ?? 0) > 20 * MiB, `released ${String(result.released[0])} bytes`);
  });
});
