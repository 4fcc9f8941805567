import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Top self-time functions of a V8 `.cpuprofile` (what `node --cpu-prof` writes). */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileEntry {
  readonly function: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Self time of everything but (idle); (program) is native work outside JavaScript (TLS, I/O). */
  readonly busyMs: number;
  readonly gcMs: number;
  readonly top: readonly ProfileEntry[];
  /** Self time by source file (node_modules grouped by package). */
  readonly byFile: readonly ProfileEntry[];
}

function place(url: string, repoRoot: string): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? path);
  }
  return path.startsWith('/') ? relative(repoRoot, path) : path;
}

const cache = new Map<string, CpuProfile>();

/**
 * Summarizes the samples of `file` taken inside `window` (CLOCK_MONOTONIC µs, the profile's own
 * clock), or all of them.
 */
export async function summarizeProfile(
  file: string,
  repoRoot: string,
  window?: { readonly fromUs: number; readonly toUs: number },
  topN = 25,
): Promise<ProfileSummary> {
  let profile = cache.get(file);
  if (profile === undefined) {
    profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    cache.set(file, profile);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfById = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window !== undefined && (at < window.fromUs || at > window.toUs)) return;
    selfById.set(id, (selfById.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  for (const [id, micros] of selfById) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    total += micros;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    // A heap snapshot taken by the benchmark is not the operator's work.
    if (name === 'writeHeapSnapshot') {
      total -= micros;
      continue;
    }
    if (name === '(idle)') idle += micros;
    if (name === '(garbage collector)') gc += micros;
    const where = place(frame.url, repoRoot);
    const label = where === '' ? name : `${name} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(label, (byFunction.get(label) ?? 0) + micros);
    const fileLabel = where === '' ? name : where;
    byFile.set(fileLabel, (byFile.get(fileLabel) ?? 0) + micros);
  }
  const busy = total - idle;
  const entries = (map: Map<string, number>): ProfileEntry[] =>
    [...map]
      .filter(([label]) => label !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([label, micros]) => ({
        function: label,
        selfMs: Math.round(micros / 1000),
        percent: busy > 0 ? Math.round((1000 * micros) / busy) / 10 : 0,
      }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    gcMs: Math.round(gc / 1000),
    top: entries(byFunction),
    byFile: entries(byFile),
  };
}

export async function newestProfile(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const last = files.at(-1);
  return last === undefined ? undefined : join(dir, last);
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `CPU profile ${summary.file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms (GC ${summary.gcMs} ms)`,
    'top self time (percent of busy time):',
    ...summary.top.map(
      (e) => `  ${e.percent.toFixed(1).padStart(5)}%  ${String(e.selfMs).padStart(6)} ms  ${e.function}`,
    ),
    'by file / package:',
    ...summary.byFile.map(
      (e) => `  ${e.percent.toFixed(1).padStart(5)}%  ${String(e.selfMs).padStart(6)} ms  ${e.function}`,
    ),
  ];
  return lines.join('\n');
}
