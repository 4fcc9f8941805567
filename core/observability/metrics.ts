import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'oda_api_operator_';

/** Every metric the operator exports on /metrics, in one registry per process. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: `${PREFIX}reconcile_total`,
    help: 'Reconciles by result: done, retry (failed, backing off), terminal (invalid object), requeue.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: `${PREFIX}reconcile_duration_seconds`,
    help: 'Time one reconcile took.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueLatency = new Histogram({
    name: `${PREFIX}workqueue_queue_duration_seconds`,
    help: 'Time a key waited in the work queue before its reconcile started.',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: `${PREFIX}workqueue_retries_total`,
    help: 'Reconciles that failed and were scheduled again with backoff.',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: `${PREFIX}workqueue_depth`,
    help: 'Keys waiting in the work queue, by state (queued, delayed, in_flight).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: `${PREFIX}watch_restarts_total`,
    help: 'Watch restarts by resource and reason (idle, gone, error, closed, relist).',
    labelNames: ['resource', 'reason'] as const,
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: `${PREFIX}kube_requests_total`,
    help: 'Requests to the Kubernetes API server by verb and HTTP status code (0: no answer).',
    labelNames: ['verb', 'code'] as const,
    registers: [this.registry],
  });
  readonly apiRequestDuration = new Histogram({
    name: `${PREFIX}kube_request_duration_seconds`,
    help: 'Time to the API server answer, by verb.',
    labelNames: ['verb'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly managedObjects = new Gauge({
    name: `${PREFIX}managed_objects`,
    help: 'Objects in the caches by kind (API objects and the outputs the operator owns).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly conflicts = new Gauge({
    name: `${PREFIX}path_conflicts`,
    help: 'APIs without a route because an older API claims an overlapping path.',
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: `${PREFIX}leader`,
    help: '1 while this replica holds the leader lease (or runs without leader election).',
    registers: [this.registry],
  });

  readonly heapTrims = new Counter({
    name: `${PREFIX}heap_trims_total`,
    help: 'Compacting GCs run to give memory back to the system (heapTrimThresholdMiB).',
    registers: [this.registry],
  });
  readonly heapTrimSeconds = new Counter({
    name: `${PREFIX}heap_trim_seconds_total`,
    help: 'Time spent in those GCs (the main thread is paused meanwhile).',
    registers: [this.registry],
  });
  readonly heapTrimReleased = new Counter({
    name: `${PREFIX}heap_trim_released_bytes_total`,
    help: 'Resident memory given back by those GCs.',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** Observes one API request (the Kubernetes client's `onRequest` hook). */
  readonly onRequest = (verb: string, code: number, durationMs: number): void => {
    this.apiRequests.inc({ verb, code: String(code) });
    this.apiRequestDuration.observe({ verb }, durationMs / 1000);
  };
}
