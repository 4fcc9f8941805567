import type { Subscription } from 'rxjs';
import type { KubeClient } from '../kube/kube-client.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { Logger } from '../observability/logger.ts';
import { WorkQueue } from '../pipeline/work-queue.ts';
import type { WorkOutcome } from '../pipeline/work-queue.ts';
import { Reconciler } from '../reconcile/reconciler.ts';
import type { Settings } from '../settings/settings.ts';
import type { ActiveDriver } from '../translate/active-driver.ts';
import type { DiscoveredKind } from './discovery-state.ts';
import { discoverKind, serves } from './discovery-state.ts';
import { KubeState } from './kube-state.ts';
import type { AddressObject, Trigger } from './kube-state.ts';
import type { AddressSource } from '../sdk/driver.ts';
import { EventSink } from './event-sink.ts';
import { KubeWriter } from './kube-writer.ts';

export interface OperatorOptions {
  readonly client: KubeClient;
  readonly settings: Settings;
  readonly active: ActiveDriver;
  readonly logger: Logger;
  readonly concurrency?: number;
  readonly instance?: string;
  readonly reflector?: { readonly idleTimeoutMs?: number; readonly relistIntervalMs?: number };
  readonly onOutcome?: (outcome: WorkOutcome) => void;
}

/**
 * The live operator: discovers what the cluster serves, fills the caches, then turns every change
 * into "look at this API again" and reconciles through the keyed work queue.
 */
export class Operator {
  readonly #o: OperatorOptions;
  #state: KubeState | undefined;
  #queue: WorkQueue | undefined;
  #subscription: Subscription | undefined;
  #reconciler: Reconciler | undefined;
  #writer: KubeWriter | undefined;
  #events: EventSink | undefined;
  #synced = false;
  #pendingInitial: Set<string> | undefined;

  constructor(options: OperatorOptions) {
    this.#o = options;
  }

  /** Events not written yet (Normal Events wait for the reconciles; see EventSink). */
  get pendingEvents(): number {
    return this.#events?.pending ?? 0;
  }

  get queue(): WorkQueue | undefined {
    return this.#queue;
  }

  /** Discovers what the cluster serves and fills the caches; no writes. Standbys stop here. */
  async start(): Promise<void> {
    const { client, settings, active, logger } = this.#o;
    const apiKinds = (
      await Promise.all([
        discoverKind(client, 'oda.tmforum.org', 'exposedapis', 'ExposedAPI'),
        discoverKind(client, 'oda.tmforum.org', 'apis', 'API'),
      ])
    ).filter((k): k is DiscoveredKind => k !== undefined);
    if (apiKinds.length === 0) throw new Error('neither the ExposedAPI nor the legacy API CRD is installed');
    const component = await discoverKind(client, 'oda.tmforum.org', 'components', 'Component');
    const owned = [];
    for (const kind of active.driver.ownedKinds) {
      const [group = '', version = ''] = kind.apiVersion.includes('/')
        ? kind.apiVersion.split('/')
        : ['', kind.apiVersion];
      if (await serves(client, kind.apiVersion, kind.plural)) {
        owned.push({ kind, resourceType: { group, version, plural: kind.plural, kind: kind.kind, namespaced: true } });
      } else {
        logger.warn(
          { kind: `${kind.apiVersion}/${kind.kind}`, optional: kind.optional === true },
          'output kind not served by the cluster',
        );
      }
    }
    const address = active.driver.addressSource(active.settings);
    const addressObject = address.type === 'object' ? await this.#addressObject(address) : undefined;
    for (const k of apiKinds) {
      logger.info(
        { kind: k.resourceType.kind, version: k.resourceType.version, statusSubresource: k.statusSubresource },
        'watching API kind',
      );
    }
    const state = new KubeState({
      client,
      logger,
      namespaces: settings.namespaces,
      apiKinds,
      ownedKinds: owned,
      ...(component === undefined ? {} : { component }),
      ...(address.type === 'service' ? { gatewaySelector: address.selector } : {}),
      ...(addressObject === undefined ? {} : { addressObject }),
      ...(this.#o.reflector === undefined ? {} : { reflector: this.#o.reflector }),
    });
    this.#state = state;
    const types = new Map<string, ResourceType>();
    for (const t of [
      ...apiKinds.map((k) => k.resourceType),
      ...owned.map((k) => k.resourceType),
      ...(component ? [component.resourceType] : []),
    ]) {
      types.set(`${t.group === '' ? t.version : `${t.group}/${t.version}`}/${t.kind}`, t);
    }
    this.#events = new EventSink({
      maxQueue: 2000,
      concurrency: 2,
      logger,
      // Normal Events wait for the reconciles: routes and statuses first.
      busy: () => this.#queue?.idle === false,
    });
    this.#writer = new KubeWriter({
      client,
      state,
      fieldManager: `oda-api-operator-${active.driver.id}`,
      types,
      instance: this.#o.instance ?? 'oda-api-operator',
      events: this.#events,
    });
    const started = Date.now();
    await state.start();
    this.#synced = true;
    logger.info({ ms: Date.now() - started, caches: state.sizes() }, 'caches synced');
  }

  /** Watch restarts by resource and reason, once the caches exist. */
  watchRestarts(): ReturnType<KubeState['restarts']> | undefined {
    return this.#state?.restarts();
  }

  /** The watched object of an `object` address source, or undefined when its kind is not served. */
  async #addressObject(source: Extract<AddressSource, { type: 'object' }>): Promise<AddressObject | undefined> {
    const { apiVersion, kind, plural } = source.kind;
    const [group = '', version = ''] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    if (!(await serves(this.#o.client, apiVersion, plural))) {
      this.#o.logger.warn({ kind: `${apiVersion}/${kind}` }, 'address kind not served by the cluster; no URL');
      return undefined;
    }
    return {
      resourceType: { group, version, plural, kind, namespaced: true },
      namespace: source.namespace,
      name: source.name,
      read: (object) => source.read(object),
    };
  }

  /** Starts reconciling: every API is looked at once, then every change. */
  lead(): void {
    const state = this.#state;
    const writer = this.#writer;
    if (!state || !writer || this.#queue) return;
    const { settings, active, logger } = this.#o;
    const queue = new WorkQueue((key) => this.#reconcile(key), {
      concurrency: this.#o.concurrency ?? settings.runtime.concurrency,
      backoff: { baseMs: 5, maxMs: 300_000 },
    });
    this.#queue = queue;
    const reconciler = new Reconciler({
      state,
      writer,
      active,
      urls: {
        scheme: settings.urlScheme,
        ...(settings.publicHostname === undefined ? {} : { publicHostname: settings.publicHostname }),
      },
      logger,
      enqueue: (key) => queue.add(key),
    });
    this.#reconciler = reconciler;
    const initial = state.allKeys();
    reconciler.prime([...initial].flatMap((key) => state.api(key) ?? []));
    this.#pendingInitial = new Set(initial);
    queue.outcomes$.subscribe((outcome) => {
      if (queue.idle) this.#events?.resume();
      this.#pendingInitial?.delete(outcome.key);
      this.#log(outcome);
      this.#o.onOutcome?.(outcome);
    });
    this.#lastAddress = JSON.stringify(state.gatewayAddress() ?? null);
    this.#subscription = state.triggers().subscribe((t) => this.#trigger(t));
    for (const key of initial) queue.add(key);
    logger.info({ apis: initial.size }, 'leading: reconciling');
  }

  /** Stops reconciling (lost leadership or shutdown): no new work, in-flight work bounded. */
  async unlead(timeoutMs: number): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    const queue = this.#queue;
    this.#queue = undefined;
    this.#reconciler = undefined;
    this.#pendingInitial = undefined;
    const left = (await queue?.stop(timeoutMs)) ?? [];
    if (left.length > 0) this.#o.logger.warn({ keys: left.length }, 'stopped with reconciles still in flight');
  }

  /** What the probes and metrics report. */
  health(): {
    synced: boolean;
    leading: boolean;
    initialPassDone: boolean;
    losers: number;
    sizes: Record<string, number>;
  } {
    return {
      synced: this.#synced,
      leading: this.#queue !== undefined,
      initialPassDone: this.#queue !== undefined && (this.#pendingInitial?.size ?? 0) === 0,
      losers: this.#reconciler?.losers.size ?? 0,
      sizes: this.#state?.sizes() ?? {},
    };
  }

  #reconcile(key: string): ReturnType<Reconciler['reconcile']> {
    if (this.#reconciler === undefined) throw new Error('operator not started');
    return this.#reconciler.reconcile(key);
  }

  #lastAddress: string | undefined;

  #trigger(t: Trigger): void {
    const queue = this.#queue;
    const state = this.#state;
    if (!queue || !state) return;
    switch (t.type) {
      case 'api':
      case 'owned':
        queue.add(t.key);
        return;
      case 'service':
        for (const key of this.#reconciler?.implementations.get(`${t.namespace}/${t.service}`) ?? []) queue.add(key);
        return;
      case 'gateway': {
        const address = JSON.stringify(state.gatewayAddress() ?? null);
        if (address === this.#lastAddress) return;
        this.#lastAddress = address;
        for (const key of state.allKeys()) queue.add(key);
        return;
      }
      case 'component':
        for (const key of state.keysByUid(t.uids)) queue.add(key);
        return;
    }
  }

  #log(outcome: WorkOutcome): void {
    const { key, result } = outcome;
    if (result.type === 'retry') {
      this.#o.logger.warn(
        { object: key, failures: outcome.failures, reason: describe(result.error) },
        'reconcile failed; retrying',
      );
    } else if (result.type === 'terminal') {
      this.#o.logger.info({ object: key, reason: describe(result.error) }, 'reconcile ended on an invalid object');
    } else {
      this.#o.logger.debug({ object: key, ms: outcome.durationMs }, 'reconciled');
    }
  }

  /** Stops taking work, waits for work in flight up to `timeoutMs`, stops the watches. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.unlead(timeoutMs);
    await this.#events?.flush(Math.min(timeoutMs, 2000));
    this.#events?.stop();
    await this.#state?.stop();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
