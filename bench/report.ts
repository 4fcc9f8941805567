import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from './cpu-profile.ts';
import type { HeapSummary } from './heap-snapshot.ts';
import type { LoadAverage, MachineInfo } from './machine.ts';
import { formatLoad } from './machine.ts';
import type { BenchDriver } from './options.ts';
import type { Percentiles } from './stats.ts';

/** From the operator's own histograms over a phase (means). */
export interface OperatorLatency {
  /** Time to the API server's answer, by verb. */
  readonly requests: Readonly<Record<string, { readonly count: number; readonly meanMs: number }>>;
  readonly reconcile: { readonly count: number; readonly meanMs: number };
  readonly queueWait: { readonly count: number; readonly meanMs: number };
}

/** Everything one run measured; written as JSON, summarized as one row of BENCHMARKS.md. */
export interface BenchResult {
  readonly date: string;
  readonly commit: string;
  readonly machine: MachineInfo;
  readonly load: { readonly atStart: LoadAverage; readonly atColdStart: LoadAverage; readonly atEnd: LoadAverage };
  readonly settings: {
    readonly apis: number;
    readonly driver: BenchDriver;
    readonly concurrency: number;
    readonly writeQps: number;
    readonly writeBurst: number;
    readonly events: number;
    readonly steadySeconds: number;
    readonly cluster: string;
    /** The operator ran under node --cpu-prof (slower; such runs add no row to BENCHMARKS.md). */
    readonly profiled: boolean;
    readonly operatorNodeOptions: string;
  };
  readonly setup: { readonly seconds: number; readonly objects: number };
  readonly coldStart: {
    readonly seconds: number;
    /** Process start to the first answer of its HTTP endpoint (Node start, module loading). */
    readonly processUpSeconds?: number;
    /** Process start to /readyz saying the caches are synced. */
    readonly cachesSyncedSeconds?: number;
    readonly firstRouteSeconds?: number;
    readonly operatorCpuSeconds: number;
    /** CPU seconds by process over the cold start (operator, control plane, benchmark). */
    readonly cpuSeconds: Readonly<Record<string, number>>;
    /** apiserver_request_total deltas over the cold start (the operator was the only client). */
    readonly apiServerRequests: Readonly<Record<string, number>>;
    readonly apiServerRequestsPerApi: Readonly<Record<string, number>>;
    /** The operator's own count (kube_requests_total), by verb. */
    readonly operatorRequests: Readonly<Record<string, number>>;
    readonly operatorLatencyMs: OperatorLatency;
  };
  readonly floor?: {
    readonly seconds: number;
    readonly writes: number;
    readonly ratio: number;
    /**
     * The same ratio in CPU seconds of every process involved (operator or floor client, control
     * plane, benchmark): much less sensitive than wall time to other load on a shared machine.
     */
    readonly cpuRatio: number;
    readonly cpuSeconds: Readonly<Record<string, number>>;
    readonly apiServerRequests: Readonly<Record<string, number>>;
  };
  readonly eventLatencyMs?: { readonly route: Percentiles; readonly status: Percentiles };
  readonly updateStorm: {
    readonly seconds: number;
    readonly apis: number;
    readonly operatorWrites: number;
    readonly cpuSeconds: Readonly<Record<string, number>>;
    readonly operatorLatencyMs: OperatorLatency;
  };
  readonly steady: {
    readonly seconds: number;
    readonly writes: number;
    readonly requests: Readonly<Record<string, number>>;
    readonly cpuSeconds: number;
    readonly cpuPercent: number;
  };
  readonly footprint: {
    /** Peaks during the cold start (RSS: VmHWM at its end; heap: sampled every second). */
    readonly peakRssMiB: number;
    readonly peakHeapMiB: number;
    /** Peaks over the whole run (the update storm included). */
    readonly runPeakRssMiB: number;
    readonly runPeakHeapMiB: number;
    readonly steadyRssMiB?: number;
    readonly steadyHeapMiB?: number;
  };
  readonly phases: readonly {
    readonly name: string;
    readonly seconds: number;
    readonly cpuSeconds: Readonly<Record<string, number>>;
    readonly apiServerRequests: Readonly<Record<string, number>>;
  }[];
  /** Per phase, when profiled. */
  readonly profile?: Readonly<Record<string, ProfileSummary>>;
  readonly heap?: HeapSummary;
  readonly notes: readonly string[];
}

export async function writeResult(outDir: string, result: BenchResult): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const stamp = result.date.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(outDir, `${stamp}-${result.settings.apis}-${result.settings.driver}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const n1 = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(1));
const n2 = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(2));

/** `PATCH virtualservices 1.00 · PATCH exposedapis/status 1.00 · …` (writes first, then reads ≥ 0.01). */
export function requestsPerApiText(perApi: Readonly<Record<string, number>>): string {
  const rows = Object.entries(perApi).filter(([, v]) => v >= 0.005);
  const isRead = (key: string): boolean => /^(GET|LIST|WATCH)\b/.test(key);
  rows.sort((a, b) => Number(isRead(a[0])) - Number(isRead(b[0])) || b[1] - a[1]);
  return rows.map(([key, v]) => `${key} ${v.toFixed(2)}`).join(' · ');
}

export const tableHeader = [
  '| date (UTC) | commit | machine | load at start (1/5/15 min) | driver | N | C | cold start s | floor s | operator / floor (wall; CPU) | API requests per API (cold start) | event latency ms p50/p90/p99/max | update storm s | steady writes | steady CPU % | RSS MiB cold-start peak/steady | heap MiB cold-start peak/steady |',
  '| --- | --- | --- | --- | --- | --: | --: | --: | --: | --: | --- | --- | --: | --: | --: | --- | --- |',
];

export function tableRow(r: BenchResult): string {
  const m = r.machine;
  const e = r.eventLatencyMs?.route;
  const cells = [
    r.date.slice(0, 16).replace('T', ' '),
    r.commit,
    `${m.cores} cores, ${(m.memoryMiB / 1024).toFixed(1)} GiB, Node ${m.node}, Kubernetes ${m.kubernetes}`,
    formatLoad(r.load.atStart),
    r.settings.driver,
    String(r.settings.apis),
    String(r.settings.concurrency),
    n1(r.coldStart.seconds),
    n1(r.floor?.seconds),
    r.floor === undefined ? '–' : `${n2(r.floor.ratio)}; ${n2(r.floor.cpuRatio)}`,
    requestsPerApiText(r.coldStart.apiServerRequestsPerApi),
    e === undefined ? '–' : `${n1(e.p50)} / ${n1(e.p90)} / ${n1(e.p99)} / ${n1(e.max)}`,
    n1(r.updateStorm.seconds),
    String(r.steady.writes),
    n1(r.steady.cpuPercent),
    `${n1(r.footprint.peakRssMiB)} / ${n1(r.footprint.steadyRssMiB)}`,
    `${n1(r.footprint.peakHeapMiB)} / ${n1(r.footprint.steadyHeapMiB)}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Appends the row to the results table, which is the end of BENCHMARKS.md (created if missing). */
export async function appendRow(file: string, result: BenchResult): Promise<void> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    await writeFile(file, `# Benchmarks\n\n## Results\n\n${tableHeader.join('\n')}\n`);
  } else if (!text.endsWith('\n')) {
    await appendFile(file, '\n');
  }
  await appendFile(file, `${tableRow(result)}\n`);
}
