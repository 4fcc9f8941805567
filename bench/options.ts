import { parseArgs } from 'node:util';

export type BenchDriver = 'istio' | 'simple-ingress';

/** What one `npm run bench` run measures, from its command line. */
export interface BenchOptions {
  /** N: ExposedAPIs resident during the run. */
  readonly apis: number;
  readonly driver: BenchDriver;
  /** Use this cluster instead of starting the local control plane. */
  readonly kubeconfig?: string;
  /** Reconciles in flight in the operator, and requests in flight in the floor client. */
  readonly concurrency: number;
  /** Client-side write rate limit given to the operator and to the floor client (per second). */
  readonly writeQps: number;
  readonly writeBurst: number;
  /** APIs created one at a time for the event-latency phase. */
  readonly events: number;
  /** Length of the steady-state window. */
  readonly steadySeconds: number;
  /** Run the operator under `node --cpu-prof` and summarize the profile per phase (no row then). */
  readonly profile: boolean;
  /** Take a heap snapshot of the operator at the end (after the footprint was read) and summarize it. */
  readonly heapSnapshot: boolean;
  /** Where the JSON result goes (default bench-results/). */
  readonly outDir: string;
  /** Append the row to BENCHMARKS.md (off with --no-record, e.g. for trial runs). */
  readonly record: boolean;
  /** Requests in flight while the benchmark creates its objects. */
  readonly setupParallelism: number;
  /** Measure the floor (off with --no-floor, for quick footprint or latency studies; no row then). */
  readonly floor: boolean;
  /** Extra node flags for the operator process (e.g. V8 heap sizes), space-separated. */
  readonly operatorNodeOptions: readonly string[];
}

export const usage = `usage: npm run bench -- --apis <N> [options]

  --apis N               ExposedAPIs resident during the run (required)
  --driver D             istio (default) or simple-ingress
  --kubeconfig FILE      use this cluster instead of starting the local control plane
  --concurrency C        operator reconciles in flight = floor requests in flight (default 16, the operator's default)
  --write-qps Q          client-side write rate limit of the operator and the floor (default 10000: no limit in practice)
  --write-burst B        its burst (default: the same as --write-qps)
  --events K             APIs created one at a time for the event latency (default 200)
  --steady-seconds S     steady-state window (default 120)
  --profile              run the operator under node --cpu-prof; top self-time functions per phase (no row)
  --heap-snapshot        heap snapshot of the operator at the end (after the footprint was read), summarized
  --out DIR              directory of the JSON result (default bench-results)
  --no-record            do not append a row to BENCHMARKS.md
  --no-floor             skip the floor (quicker footprint or latency studies; adds no row)
  --setup-parallelism P  requests in flight while creating the workload (default 64)
  --operator-node-options="FLAGS"
                         extra node flags for the operator process, e.g.
                         --operator-node-options="--max-semi-space-size=2 --max-old-space-size=192"
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      apis: { type: 'string' },
      driver: { type: 'string' },
      kubeconfig: { type: 'string' },
      concurrency: { type: 'string' },
      'write-qps': { type: 'string' },
      'write-burst': { type: 'string' },
      events: { type: 'string' },
      'steady-seconds': { type: 'string' },
      profile: { type: 'boolean' },
      'heap-snapshot': { type: 'boolean' },
      out: { type: 'string' },
      'no-record': { type: 'boolean' },
      'no-floor': { type: 'boolean' },
      'setup-parallelism': { type: 'string' },
      'operator-node-options': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`);
  if (values.apis === undefined) throw new UsageError('--apis is required');
  const driver = values.driver ?? 'istio';
  if (driver !== 'istio' && driver !== 'simple-ingress')
    throw new UsageError(`--driver must be istio or simple-ingress, got ${driver}`);
  const writeQps = positiveInt('write-qps', values['write-qps'], 10_000);
  return {
    apis: positiveInt('apis', values.apis, 0),
    driver,
    ...(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }),
    concurrency: positiveInt('concurrency', values.concurrency, 16),
    writeQps,
    writeBurst: positiveInt('write-burst', values['write-burst'], writeQps),
    events: positiveInt('events', values.events, 200, 0),
    steadySeconds: positiveInt('steady-seconds', values['steady-seconds'], 120, 0),
    profile: values.profile === true,
    heapSnapshot: values['heap-snapshot'] === true,
    outDir: values.out ?? 'bench-results',
    record: values['no-record'] !== true,
    floor: values['no-floor'] !== true,
    setupParallelism: positiveInt('setup-parallelism', values['setup-parallelism'], 64),
    operatorNodeOptions: (values['operator-node-options'] ?? '').split(/\s+/).filter((f) => f !== ''),
  };
}
