import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where a V8 heap snapshot's retained bytes are, by node type and constructor (self sizes). */

interface HeapSnapshot {
  readonly snapshot: {
    readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] };
  };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
}

export interface HeapEntry {
  readonly what: string;
  readonly count: number;
  readonly mib: number;
}

export interface HeapSummary {
  readonly file: string;
  readonly totalMiB: number;
  readonly top: readonly HeapEntry[];
}

export async function summarizeHeapSnapshot(file: string, topN = 20): Promise<HeapSummary> {
  const snap = JSON.parse(await readFile(file, 'utf8')) as HeapSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const byWhat = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType] ?? 0] ?? '?';
    const name = snap.strings[snap.nodes[i + iName] ?? 0] ?? '';
    const size = snap.nodes[i + iSize] ?? 0;
    total += size;
    const what = type.endsWith('string')
      ? size > 20_000
        ? '(large strings: module sources)'
        : '(strings)'
      : type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${name.slice(0, 50)}`
        : `(${type})`;
    const entry = byWhat.get(what) ?? { bytes: 0, count: 0 };
    entry.bytes += size;
    entry.count += 1;
    byWhat.set(what, entry);
  }
  const top = [...byWhat]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, topN)
    .map(([what, e]) => ({ what, count: e.count, mib: Math.round((e.bytes / 1048576) * 10) / 10 }));
  return { file, totalMiB: Math.round((total / 1048576) * 10) / 10, top };
}

/** Waits for a new `.heapsnapshot` in `dir` to be complete (size stable), returns its path. */
export async function awaitHeapSnapshot(dir: string, timeoutMs = 120_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let lastSize = -1;
  for (;;) {
    const file = (await readdir(dir))
      .filter((f) => f.endsWith('.heapsnapshot'))
      .sort()
      .at(-1);
    if (file !== undefined) {
      const size = (await stat(join(dir, file))).size;
      if (size > 0 && size === lastSize) return join(dir, file);
      lastSize = size;
    }
    if (performance.now() > deadline) throw new Error('no heap snapshot was written');
    await sleep(1000);
  }
}

export function formatHeap(summary: HeapSummary): string {
  return [
    `heap snapshot ${summary.file}: ${summary.totalMiB} MiB retained`,
    ...summary.top.map((e) => `  ${e.mib.toFixed(1).padStart(6)} MiB  ${String(e.count).padStart(8)}  ${e.what}`),
  ].join('\n');
}
