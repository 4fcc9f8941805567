import { setTimeout as sleep } from 'node:timers/promises';
import {
  heapUsedBytes,
  histogramMeansMs,
  queueBusy,
  reconcilesTotal,
  requestsByVerb,
  type OperatorProcess,
} from './operator-process.ts';
import type { Sample } from './prom-text.ts';
import type { OperatorLatency } from './report.ts';

/** What the benchmark reads from the running operator: footprint, readiness, idleness, latencies. */

/** Samples the operator's RSS and heap while a phase runs. */
export class FootprintSampler {
  peakHeapBytes = 0;
  lastHeapBytes = Number.NaN;
  lastRssBytes = Number.NaN;
  readonly #operator: OperatorProcess;
  #timer: NodeJS.Timeout | undefined;
  #ticks = 0;
  #busy = false;

  constructor(operator: OperatorProcess) {
    this.#operator = operator;
  }

  start(intervalMs = 250, heapEvery = 4): void {
    this.#timer = setInterval(() => {
      if (this.#busy || !this.#operator.running) return;
      this.#busy = true;
      const withHeap = this.#ticks++ % heapEvery === 0;
      void this.#sample(withHeap).finally(() => (this.#busy = false));
    }, intervalMs);
  }

  async #sample(withHeap: boolean): Promise<void> {
    try {
      this.lastRssBytes = (await this.#operator.footprint()).rssBytes;
      if (withHeap) {
        const heap = heapUsedBytes(await this.#operator.metrics());
        this.lastHeapBytes = heap;
        if (heap > this.peakHeapBytes) this.peakHeapBytes = heap;
      }
    } catch {
      // the process may be starting or stopping
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Polls /readyz during the cold start: when the process answers, when its caches are synced. */
export async function watchReadiness(
  operator: OperatorProcess,
  done: () => boolean,
): Promise<{ upAt?: number; syncedAt?: number }> {
  let upAt: number | undefined;
  let syncedAt: number | undefined;
  while (!done() && syncedAt === undefined && operator.running) {
    try {
      const r = await operator.get('/readyz');
      upAt ??= performance.now();
      if (r.status === 200 || !r.body.includes('not synced')) syncedAt = performance.now();
    } catch {
      // not listening yet
    }
    await sleep(upAt === undefined ? 20 : 50);
  }
  return { ...(upAt === undefined ? {} : { upAt }), ...(syncedAt === undefined ? {} : { syncedAt }) };
}

/** Waits until the operator has nothing queued and made no request for `quietMs`. */
export async function waitIdle(operator: OperatorProcess, quietMs = 1500, timeoutMs = 600_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  let since = performance.now();
  for (;;) {
    operator.assertRunning();
    const samples = await operator.metrics();
    const signature = `${reconcilesTotal(samples)}|${JSON.stringify(requestsByVerb(samples))}`;
    const now = performance.now();
    if (signature !== last || queueBusy(samples) > 0) {
      last = signature;
      since = now;
    } else if (now - since >= quietMs) return;
    if (now > deadline) throw new Error('the operator did not become idle');
    await sleep(250);
  }
}

/** Mean API response time by verb, reconcile time and queue wait, from the operator's histograms. */
export function latencies(before: readonly Sample[], after: readonly Sample[]): OperatorLatency {
  return {
    requests: histogramMeansMs(before, after, 'kube_request_duration_seconds', 'verb'),
    reconcile: histogramMeansMs(before, after, 'reconcile_duration_seconds').all ?? { count: 0, meanMs: Number.NaN },
    queueWait: histogramMeansMs(before, after, 'workqueue_queue_duration_seconds').all ?? {
      count: 0,
      meanMs: Number.NaN,
    },
  };
}

export function diffVerbs(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [verb, n] of Object.entries(after)) {
    const d = n - (before[verb] ?? 0);
    if (d !== 0) out[verb] = d;
  }
  return out;
}

export function formatLatency(l: OperatorLatency): string {
  const requests = Object.entries(l.requests)
    .map(([verb, r]) => `${verb} ${r.count}× ${r.meanMs} ms`)
    .join(', ');
  return `mean API response ${requests}; reconcile ${l.reconcile.count}× ${l.reconcile.meanMs} ms; queue wait ${l.queueWait.meanMs} ms`;
}
