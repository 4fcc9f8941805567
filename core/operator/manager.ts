import { readFileSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import type { KubeClient } from '../kube/kube-client.ts';
import type { Logger } from '../observability/logger.ts';
import type { OperatorMetrics } from '../observability/metrics.ts';
import { HeapTrimmer, exposedGc } from '../observability/heap-trimmer.ts';
import { OperationsServer } from '../observability/http-server.ts';
import type { Settings } from '../settings/settings.ts';
import type { ActiveDriver } from '../translate/active-driver.ts';
import { LeaderElector } from './leader-election.ts';
import { Operator } from './operator.ts';

export interface ManagerOptions {
  readonly client: KubeClient;
  readonly settings: Settings;
  readonly active: ActiveDriver;
  readonly logger: Logger;
  readonly metrics: OperatorMetrics;
  /** This replica's name (the pod name in a cluster). */
  readonly identity: string;
  /** Namespace of the Lease when the settings name none. */
  readonly defaultNamespace: string;
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The pod's own namespace: POD_NAMESPACE, the service account's, or `default`. */
export function ownNamespace(env: Readonly<Record<string, string | undefined>>): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

/**
 * Runs one replica: the operations endpoint, the caches, leader election and, while leading, the
 * reconciles. Standbys keep warm caches, answer probes and write nothing.
 */
export class Manager {
  readonly #o: ManagerOptions;
  readonly operator: Operator;
  #elector: LeaderElector | undefined;
  #server: OperationsServer | undefined;
  #leading: Subscription | undefined;
  #restarts: Subscription | undefined;
  #transition: Promise<void> = Promise.resolve();
  readonly #trimmer: HeapTrimmer;
  port: number | undefined;

  constructor(options: ManagerOptions) {
    this.#o = options;
    this.operator = new Operator({
      client: options.client,
      settings: options.settings,
      active: options.active,
      logger: options.logger,
      instance: options.identity,
      reflector: { relistIntervalMs: options.settings.runtime.relistIntervalSeconds * 1000 },
      onOutcome: (o) => {
        const m = options.metrics;
        m.reconciles.inc({ result: o.result.type });
        m.reconcileDuration.observe(o.durationMs / 1000);
        m.queueLatency.observe(o.queuedMs / 1000);
        if (o.result.type === 'retry') m.retries.inc();
        if (this.operator.queue?.idle === true) this.#trimmer.idle();
        else this.#trimmer.poll();
      },
    });
    this.#trimmer = new HeapTrimmer({
      thresholdBytes: options.settings.runtime.heapTrimThresholdMiB * 1024 * 1024,
      intervalMs: 250,
      gc: exposedGc(),
      rss: () => process.memoryUsage.rss(),
      onTrim: ({ beforeBytes, afterBytes, ms }) => {
        const m = options.metrics;
        m.heapTrims.inc();
        m.heapTrimSeconds.inc(ms / 1000);
        m.heapTrimReleased.inc(Math.max(0, beforeBytes - afterBytes));
        options.logger.debug(
          { rssBeforeMiB: Math.round(beforeBytes / 1048576), rssAfterMiB: Math.round(afterBytes / 1048576), ms },
          'heap trimmed',
        );
      },
    });
  }

  async start(): Promise<void> {
    const { settings, metrics, logger } = this.#o;
    const runtime = settings.runtime;
    if (runtime.httpPort > 0) {
      this.#server = new OperationsServer(
        { healthy: () => true, ready: () => this.readiness() },
        metrics.registry,
        () => this.#refreshGauges(),
      );
      this.port = await this.#server.listen(runtime.httpPort);
      logger.info({ port: this.port }, 'serving /healthz, /readyz and /metrics');
    }
    if (runtime.heapTrimThresholdMiB > 0 && !this.#trimmer.enabled)
      logger.info(
        { heapTrimThresholdMiB: runtime.heapTrimThresholdMiB },
        'heap trimming off: node runs without --expose-gc',
      );
    this.#trimmer.start();
    await this.operator.start();
    this.#restarts = this.operator.watchRestarts()?.subscribe(({ resource, reason }) => {
      metrics.watchRestarts.inc({ resource, reason });
      if (reason !== 'closed') logger.info({ resource, reason }, 'watch restarted');
    });
    if (!runtime.leaderElection) {
      metrics.leader.set(1);
      this.operator.lead();
      return;
    }
    const elector = new LeaderElector({
      client: this.#o.client,
      namespace: runtime.leaderElectionNamespace ?? this.#o.defaultNamespace,
      name: runtime.leaseName,
      identity: this.#o.identity,
      leaseDurationMs: runtime.leaseDurationSeconds * 1000,
      renewDeadlineMs: runtime.renewDeadlineSeconds * 1000,
      retryPeriodMs: runtime.retryPeriodSeconds * 1000,
      logger,
    });
    this.#elector = elector;
    this.#leading = elector.leading$.subscribe((leading) => {
      metrics.leader.set(leading ? 1 : 0);
      this.#transition = this.#transition.then(() =>
        leading ? this.operator.lead() : this.operator.unlead(runtime.shutdownTimeoutSeconds * 1000),
      );
    });
    elector.start();
  }

  /** Ready once the caches are synced and, when leading, every API was looked at once. */
  readiness(): { ok: boolean; reason: string } {
    const h = this.operator.health();
    if (!h.synced) return { ok: false, reason: 'caches not synced yet' };
    if (h.leading && !h.initialPassDone) return { ok: false, reason: 'leader: first full reconcile still running' };
    return { ok: true, reason: h.leading ? 'ok: leading' : 'ok: standby' };
  }

  /** Gauges read at scrape time. */
  #refreshGauges(): void {
    const m = this.#o.metrics;
    const q = this.operator.queue;
    m.queueDepth.set({ state: 'queued' }, q?.depth ?? 0);
    m.queueDepth.set({ state: 'delayed' }, q?.delayed ?? 0);
    m.queueDepth.set({ state: 'in_flight' }, q?.inFlight ?? 0);
    const health = this.operator.health();
    for (const [kind, n] of Object.entries(health.sizes)) m.managedObjects.set({ kind }, n);
    m.conflicts.set(health.losers);
  }

  /** Graceful stop: no new work, in-flight work bounded, lease released, watches and endpoint closed. */
  async stop(): Promise<void> {
    const timeoutMs = this.#o.settings.runtime.shutdownTimeoutSeconds * 1000;
    this.#trimmer.stop();
    this.#leading?.unsubscribe();
    this.#restarts?.unsubscribe();
    await this.operator.unlead(timeoutMs);
    await this.#transition;
    await this.#elector?.stop();
    this.#o.metrics.leader.set(0);
    await this.operator.stop(timeoutMs);
    await this.#server?.close();
  }
}
