import type { RequestCounts } from './apiserver-metrics.ts';
import { requestDelta } from './apiserver-metrics.ts';
import { cpuDelta, cpuSnapshot } from './process-cpu.ts';
import { round2 } from './stats.ts';

/** One measured phase: its wall time on the monotonic clock (for slicing a CPU profile) and who used the CPU. */
export interface PhaseRecord {
  readonly name: string;
  readonly seconds: number;
  /** CPU seconds used during the phase, by process. */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** CLOCK_MONOTONIC in µs, the clock of V8 CPU profiles. */
  readonly fromUs: number;
  readonly toUs: number;
  /** apiserver_request_total deltas over the phase (every client). */
  readonly apiServerRequests: Readonly<Record<string, number>>;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export class PhaseClock {
  readonly records: PhaseRecord[] = [];
  readonly #pids: Record<string, number>;
  readonly #requests: () => Promise<RequestCounts>;

  constructor(pids: Record<string, number>, requests: () => Promise<RequestCounts>) {
    this.#pids = pids;
    this.#requests = requests;
  }

  setOperator(pid: number | undefined): void {
    if (pid === undefined) delete this.#pids.operator;
    else this.#pids.operator = pid;
  }

  async begin(name: string): Promise<() => Promise<PhaseRecord>> {
    const requests = await this.#requests();
    const cpu = await cpuSnapshot(this.#pids);
    const fromUs = monotonicUs();
    return async () => {
      const toUs = monotonicUs();
      const cpuSeconds = cpuDelta(cpu, await cpuSnapshot(this.#pids));
      const record: PhaseRecord = {
        name,
        seconds: round2((toUs - fromUs) / 1e6),
        cpuSeconds,
        fromUs,
        toUs,
        apiServerRequests: requestDelta(requests, await this.#requests()),
      };
      this.records.push(record);
      return record;
    };
  }
}

export function formatCpu(cpu: Readonly<Record<string, number>>): string {
  return Object.entries(cpu)
    .map(([name, s]) => `${name} ${s.toFixed(1)}`)
    .join(', ');
}
