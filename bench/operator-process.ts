import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { imageRuntimeOf } from './image-entrypoint.ts';
import { cpuSecondsOf } from './machine.ts';
import type { BenchDriver } from './options.ts';
import { parseSamples, type Sample } from './prom-text.ts';

export interface OperatorProcessOptions {
  readonly repoRoot: string;
  readonly kubeconfig: string;
  readonly namespaces: string;
  readonly gatewaySelector: string;
  readonly driver: BenchDriver;
  readonly httpPort: number;
  readonly concurrency: number;
  readonly writeQps: number;
  readonly writeBurst: number;
  /** simple-ingress: the public host name published in URLs. */
  readonly publicHostname?: string;
  /** Directory for `node --cpu-prof`, when profiling. */
  readonly cpuProfileDir?: string;
  /** Directory of heap snapshots taken on SIGUSR2, when wanted. */
  readonly heapSnapshotDir?: string;
  /** The operator's stdout and stderr go here. */
  readonly logFile: string;
  /** Extra node flags. */
  readonly nodeOptions?: readonly string[];
}

export interface Footprint {
  readonly rssBytes: number;
  /** Peak RSS of the process so far (VmHWM). */
  readonly peakRssBytes: number;
}

/** The operator as a separate process (its RSS and CPU are its own), with probes on /proc and /metrics. */
export class OperatorProcess {
  readonly child: ChildProcess;
  /** performance.now() right before spawn. */
  readonly startedAt: number;
  readonly #port: number;
  readonly #exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(options: OperatorProcessOptions) {
    const o = options;
    const image = imageRuntimeOf(o.repoRoot);
    const nodeArgs = [
      // As the image runs it: its ENTRYPOINT's flags (heap sizing), then the run's own.
      ...image.nodeFlags,
      ...(o.nodeOptions ?? []),
      ...(o.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', o.cpuProfileDir]),
      ...(o.heapSnapshotDir === undefined
        ? []
        : ['--heapsnapshot-signal=SIGUSR2', '--diagnostic-dir', o.heapSnapshotDir]),
    ];
    const args = [
      ...nodeArgs,
      // The compiled entry point, as the image runs it (type stripping costs ~30 MiB of RSS).
      join(o.repoRoot, 'dist/core/cli/main.js'),
      'run',
      '--kubeconfig',
      o.kubeconfig,
      '--namespaces',
      o.namespaces,
      '--driver',
      o.driver,
      '--http-port',
      String(o.httpPort),
      '--leader-election',
      'false',
      '--log-level',
      'warn',
      '--concurrency',
      String(o.concurrency),
      '--write-qps',
      String(o.writeQps),
      '--write-burst',
      String(o.writeBurst),
      ...(o.driver === 'istio' ? ['--gateway-selector', o.gatewaySelector] : []),
      ...(o.publicHostname === undefined ? [] : ['--public-hostname', o.publicHostname]),
    ];
    const log = createWriteStream(o.logFile, { flags: 'a' });
    this.#port = o.httpPort;
    this.startedAt = performance.now();
    this.child = spawn(process.execPath, args, {
      cwd: o.repoRoot,
      env: { ...process.env, ...image.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.#exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.#exitCode = code;
        resolve(code);
      });
    });
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('the operator process did not start');
    return pid;
  }

  get running(): boolean {
    return this.#exitCode === undefined;
  }

  /** Throws when the process has exited: a benchmark of a dead operator waits forever otherwise. */
  assertRunning(): void {
    if (!this.running) throw new Error(`the operator exited with code ${String(this.#exitCode)}; see its log`);
  }

  async footprint(): Promise<Footprint> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssBytes: kib('VmRSS') * 1024, peakRssBytes: kib('VmHWM') * 1024 };
  }

  /** CPU seconds (user + system) used so far. */
  async cpuSeconds(): Promise<number> {
    return cpuSecondsOf(await readFile(`/proc/${this.pid}/stat`, 'utf8'));
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.#port, path, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
      req.on('error', reject);
      req.end();
    });
  }

  async metrics(): Promise<Sample[]> {
    const response = await this.get('/metrics');
    if (response.status !== 200) throw new Error(`operator /metrics answered ${response.status}`);
    return parseSamples(response.body);
  }

  /** Asks for a heap snapshot (the process must run with a heap snapshot directory). */
  requestHeapSnapshot(): void {
    this.child.kill('SIGUSR2');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 30_000): Promise<number | null> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      try {
        return await this.#exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.#exited;
  }
}

const PREFIX = 'oda_api_operator_';

/** Requests the operator made, by verb, from its kube_requests_total. */
export function requestsByVerb(samples: readonly Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== `${PREFIX}kube_requests_total`) continue;
    const verb = s.labels.verb ?? '?';
    out[verb] = (out[verb] ?? 0) + s.value;
  }
  return out;
}

/** Writes: every verb but GET and WATCH. */
export function writesOf(byVerb: Readonly<Record<string, number>>): number {
  return Object.entries(byVerb)
    .filter(([verb]) => verb !== 'GET' && verb !== 'WATCH')
    .reduce((sum, [, n]) => sum + n, 0);
}

export function heapUsedBytes(samples: readonly Sample[]): number {
  return samples.find((s) => s.name === `${PREFIX}nodejs_heap_size_used_bytes`)?.value ?? Number.NaN;
}

/** Keys queued, delayed or in flight. */
export function queueBusy(samples: readonly Sample[]): number {
  return samples.filter((s) => s.name === `${PREFIX}workqueue_depth`).reduce((sum, s) => sum + s.value, 0);
}

export function reconcilesTotal(samples: readonly Sample[]): number {
  return samples.filter((s) => s.name === `${PREFIX}reconcile_total`).reduce((sum, s) => sum + s.value, 0);
}

/** Mean of a histogram between two scrapes (seconds → ms), by the value of `label` (e.g. verb). */
export function histogramMeansMs(
  before: readonly Sample[],
  after: readonly Sample[],
  name: string,
  label?: string,
): Record<string, { count: number; meanMs: number }> {
  const totals = (samples: readonly Sample[], suffix: string): Map<string, number> => {
    const out = new Map<string, number>();
    for (const s of samples) {
      if (s.name !== `${PREFIX}${name}${suffix}`) continue;
      const key = label === undefined ? 'all' : (s.labels[label] ?? '?');
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
    return out;
  };
  const [c0, c1, s0, s1] = [
    totals(before, '_count'),
    totals(after, '_count'),
    totals(before, '_sum'),
    totals(after, '_sum'),
  ];
  const out: Record<string, { count: number; meanMs: number }> = {};
  for (const [key, count] of c1) {
    const n = count - (c0.get(key) ?? 0);
    if (n <= 0) continue;
    const sum = (s1.get(key) ?? 0) - (s0.get(key) ?? 0);
    out[key] = { count: n, meanMs: Math.round((sum / n) * 10000) / 10 };
  }
  return out;
}
