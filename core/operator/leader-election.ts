import { BehaviorSubject } from 'rxjs';
import { isConflict, isNotFound } from '../kube/kube-api-error.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { KubeRawObject } from '../kube/raw-object.ts';
import { collectionPath, objectPath } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { realTimers, sleep } from '../kube/timers.ts';
import type { Timers } from '../kube/timers.ts';
import type { Logger } from '../observability/logger.ts';

const LEASE: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** Wall clock for the Lease's timestamps. */
  readonly wallClock?: () => Date;
  readonly random?: () => number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeRawObject & { spec?: LeaseSpec };

/** RFC 3339 with microseconds, as `MicroTime` fields want. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease. A candidate takes the lease when it is free
 * or when its holder has not renewed it for a lease duration *as observed on this replica's own
 * clock* (no trust in other clocks); the leader renews every retry period and gives up leading
 * when it could not renew for the renew deadline. `stop()` releases the lease so a standby takes
 * over at once.
 */
export class LeaderElector {
  readonly leading$ = new BehaviorSubject(false);
  readonly #o: LeaderElectionOptions;
  readonly #timers: Timers;
  readonly #stop = new AbortController();
  #observed: { holder: string; renewTime: string; at: number } | undefined;
  #lastRenew = 0;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async #run(): Promise<void> {
    const random = this.#o.random ?? Math.random;
    while (!this.#stop.signal.aborted) {
      const ok = await this.#tryAcquireOrRenew().catch((error: unknown) => {
        this.#o.logger.warn(
          { lease: this.#o.name, err: error instanceof Error ? error.message : String(error) },
          'lease update failed',
        );
        return false;
      });
      const now = this.#timers.now();
      if (ok) {
        this.#lastRenew = now;
        if (!this.leading$.value) {
          this.#o.logger.info(
            { lease: `${this.#o.namespace}/${this.#o.name}`, identity: this.#o.identity },
            'became leader',
          );
          this.leading$.next(true);
        }
      } else if (this.leading$.value && now - this.#lastRenew > this.#o.renewDeadlineMs) {
        this.#o.logger.warn(
          { lease: `${this.#o.namespace}/${this.#o.name}` },
          'lost leadership: lease not renewed within the deadline',
        );
        this.leading$.next(false);
      }
      const wait = this.leading$.value ? this.#o.retryPeriodMs : this.#o.retryPeriodMs * (1 + 0.2 * random());
      await sleep(this.#timers, wait, this.#stop.signal).catch(() => undefined);
    }
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.#o;
    const nowDate = (this.#o.wallClock ?? (() => new Date()))();
    const durationSeconds = Math.ceil(this.#o.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = (
        await client.request<Lease>({
          method: 'GET',
          path: objectPath(LEASE, namespace, name),
          timeoutMs: this.#o.renewDeadlineMs,
        })
      ).body;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const spec: LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: microTime(nowDate),
        renewTime: microTime(nowDate),
        leaseTransitions: 0,
      };
      try {
        await client.request({
          method: 'POST',
          path: collectionPath(LEASE, namespace),
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec },
        });
        return true;
      } catch (createError) {
        if (isConflict(createError)) return false;
        throw createError;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime ?? '';
    const now = this.#timers.now();
    if (this.#observed?.holder !== holder || this.#observed.renewTime !== renewTime)
      this.#observed = { holder, renewTime, at: now };
    const heldByOther = holder !== '' && holder !== identity;
    const expiresAfter = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (heldByOther && this.#observed.at + expiresAfter > now) return false;
    const next: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: holder === identity ? (spec.acquireTime ?? microTime(nowDate)) : microTime(nowDate),
      renewTime: microTime(nowDate),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1),
    };
    return this.#put(lease, next);
  }

  async #put(lease: Lease, spec: LeaseSpec): Promise<boolean> {
    try {
      await this.#o.client.request({
        method: 'PUT',
        path: objectPath(LEASE, this.#o.namespace, this.#o.name),
        body: { ...lease, spec },
        timeoutMs: this.#o.renewDeadlineMs,
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /** Stops campaigning; when leading, releases the lease (empty holder) so a standby takes over now. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    if (!this.leading$.value) return;
    this.leading$.next(false);
    try {
      const lease = (
        await this.#o.client.request<Lease>({
          method: 'GET',
          path: objectPath(LEASE, this.#o.namespace, this.#o.name),
          timeoutMs: 5000,
        })
      ).body;
      if (lease.spec?.holderIdentity !== this.#o.identity) return;
      const nowDate = (this.#o.wallClock ?? (() => new Date()))();
      await this.#put(lease, {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: microTime(nowDate),
      });
      this.#o.logger.info({ lease: `${this.#o.namespace}/${this.#o.name}` }, 'released the lease');
    } catch (error) {
      this.#o.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not release the lease',
      );
    }
  }
}
