import { MultiIndex } from './multi-index.ts';
import type { PathClaim } from '../conflicts/conflict-index.ts';
import { ConflictIndex, conflictMessage } from '../conflicts/conflict-index.ts';
import { normalizeApi } from '../model/normalize.ts';
import { summarizeProblems } from '../model/problems.ts';
import type { ApiModel } from '../sdk/api-model.ts';
import type { DriverCondition } from '../sdk/conditions.ts';
import type { Logger } from '../observability/logger.ts';
import type { WorkResult } from '../pipeline/work-queue.ts';
import { isJsonObject } from '../sdk/json.ts';
import type { ActiveDriver } from '../translate/active-driver.ts';
import { ownerReferenceTo, translateApi } from '../translate/translate-api.ts';
import { apiUrls } from '../status/api-url.ts';
import type { UrlSettings } from '../status/api-url.ts';
import { desiredStatus, routeAccepted, statusMergePatch } from '../status/api-status.ts';
import type { StatusFacts } from '../status/api-status.ts';
import { loadBalancerAddress } from '../status/gateway-address.ts';
import type { GatewayAddress } from '../status/gateway-address.ts';
import { componentStatusPatch } from './component-propagation.ts';
import { EventDeduplicator } from './event-recorder.ts';
import { describe, syncOutputs } from './output-sync.ts';
import type { SyncResult } from './output-sync.ts';
import type { CachedApi, ClusterState, ClusterWriter, EventInput, OwnedObject } from './ports.ts';

export interface ReconcilerDeps {
  readonly state: ClusterState;
  readonly writer: ClusterWriter;
  readonly active: ActiveDriver;
  readonly urls: UrlSettings;
  readonly logger: Logger;
  /** Asks for other keys to be looked at again (conflict neighbours). */
  readonly enqueue: (key: string) => void;
  readonly now?: () => Date;
}

/** Which APIs each implementing Service serves, so an EndpointSlice change finds its APIs. */
export type ImplementationIndex = MultiIndex;

/**
 * Reconciles one API key: reads the caches, translates through the driver, syncs the outputs,
 * writes status only when it changed, propagates to the Component and records Events.
 * Level-based: it never looks at the event that triggered it.
 */
export class Reconciler {
  readonly conflicts = new ConflictIndex();
  /** `namespace/service` → keys of the APIs it implements. */
  readonly implementations: ImplementationIndex = new MultiIndex();
  /** APIs that currently lose a path conflict. */
  readonly losers = new Set<string>();
  readonly #implOf = new Map<string, string>();
  readonly #events = new EventDeduplicator();
  readonly #d: ReconcilerDeps;

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  /**
   * Records the path claims of every API before the first reconcile, so that on start an API never
   * gets a route it will lose a moment later to an older one not yet looked at.
   */
  prime(apis: Iterable<CachedApi>): void {
    for (const cached of apis) {
      const result = normalizeApi(cached.raw);
      if (result.ok) this.#claim(cached.key, result.api);
    }
  }

  async reconcile(key: string): Promise<WorkResult> {
    const cached = this.#d.state.api(key);
    if (cached === undefined || cached.deleting) return this.#forget(key);
    const result = normalizeApi(cached.raw);
    if (!result.ok) {
      this.#release(key);
      this.#index(key, undefined);
      const sync = await syncOutputs(key, [], [], this.#d.state, this.#d.writer);
      await this.#finish(
        cached,
        {
          name: nameOf(key),
          ...gen(cached),
          problems: result.problems,
          urls: {},
          implementationReady: false,
          driverConditions: [],
        },
        sync,
        [{ type: 'Warning', reason: 'InvalidSpec', message: summarizeProblems(result.problems) }],
      );
      return { type: 'terminal', error: new Error(summarizeProblems(result.problems)) };
    }
    const api = result.api;
    this.#index(key, `${api.source.namespace}/${api.implementation}`);
    const { claim, winner } = this.#claim(key, api);
    if (winner === undefined) this.losers.delete(key);
    else this.losers.add(key);
    const implementationReady = this.#d.state.implementationReady(api.source.namespace, api.implementation);
    if (winner !== undefined) {
      const sync = await syncOutputs(key, [], [], this.#d.state, this.#d.writer);
      const message = conflictMessage(claim, winner, winner.key.split('/')[0] ?? 'API');
      await this.#finish(
        cached,
        {
          name: nameOf(key),
          ...gen(cached),
          api,
          conflictWith: message,
          urls: {},
          implementationReady,
          driverConditions: [],
        },
        sync,
        [{ type: 'Warning', reason: 'PathConflict', message }],
      );
      return { type: 'done' };
    }
    const owner = ownerReferenceTo({
      ...api,
      source: { ...api.source, version: cached.apiVersion.split('/')[1] ?? api.source.version },
    });
    const translation = translateApi(this.#d.active, api, { availableKinds: this.#d.state.availableKinds() }, owner);
    const sync = await syncOutputs(
      key,
      translation.objects,
      this.#d.active.driver.ownedKinds,
      this.#d.state,
      this.#d.writer,
      // A driver reading the live route (routeConditions) needs its content kept.
      this.#d.active.driver.routeConditions === undefined,
    );
    const route = sync.objects[0];
    const address = this.#address(route);
    const urls = apiUrls(api, this.#d.urls, address);
    const facts: StatusFacts = {
      name: nameOf(key),
      ...gen(cached),
      api,
      urls,
      implementationReady,
      driverConditions: translation.conditions,
      routeConditions: this.#routeConditions(route),
      ...(sync.error === undefined ? {} : { applyError: sync.error }),
      ...(route === undefined ? {} : { routeUid: route.uid }),
      ...(address === undefined ? {} : { address }),
    };
    const failures: EventInput[] =
      sync.error === undefined ? [] : [{ type: 'Warning', reason: 'ApplyFailed', message: sync.error }];
    await this.#finish(cached, facts, sync, failures);
    await this.#propagate(api, cached, urls, facts);
    return sync.error === undefined ? { type: 'done' } : { type: 'retry', error: new Error(sync.error) };
  }

  #address(route: OwnedObject | undefined): GatewayAddress | undefined {
    const source = this.#d.active.driver.addressSource(this.#d.active.settings);
    return source.type === 'route-status'
      ? loadBalancerAddress(route?.loadBalancer ?? [])
      : this.#d.state.gatewayAddress();
  }

  /** The driver's reading of the live route's status (e.g. accepted by the gateway), if it reads one. */
  #routeConditions(route: OwnedObject | undefined): readonly DriverCondition[] {
    const { driver, settings } = this.#d.active;
    if (route === undefined || driver.routeConditions === undefined) return [];
    const observed = {
      apiVersion: route.apiVersion,
      kind: route.kind,
      namespace: route.namespace,
      name: route.name,
      spec: isJsonObject(route.spec) ? route.spec : {},
      status: route.status ?? {},
      ...(route.generation === undefined ? {} : { generation: route.generation }),
    };
    return driver.routeConditions(observed, settings);
  }

  #claim(key: string, api: ApiModel): { claim: PathClaim; winner: PathClaim | undefined } {
    const route = this.#d.active.driver.routeClaim(api, this.#d.active.settings);
    const claim: PathClaim = {
      ...route,
      key,
      path: api.path,
      createdAt: api.source.creationTimestamp ?? '',
      name: `${api.source.namespace}/${api.source.name}`,
    };
    for (const neighbour of this.conflicts.upsert(claim)) this.#d.enqueue(neighbour);
    return { claim, winner: this.conflicts.winnerOver(key) };
  }

  #release(key: string): void {
    this.losers.delete(key);
    for (const neighbour of this.conflicts.remove(key)) this.#d.enqueue(neighbour);
  }

  #index(key: string, impl: string | undefined): void {
    const before = this.#implOf.get(key);
    if (before === impl) return;
    if (before !== undefined) this.implementations.delete(before, key);
    if (impl === undefined) {
      this.#implOf.delete(key);
      return;
    }
    this.#implOf.set(key, impl);
    this.implementations.add(impl, key);
  }

  async #forget(key: string): Promise<WorkResult> {
    this.#release(key);
    this.#index(key, undefined);
    this.#events.clear(key);
    const sync = await syncOutputs(key, [], [], this.#d.state, this.#d.writer);
    if (sync.removed.length > 0)
      this.#d.logger.info({ object: key, removed: sync.removed.length }, 'pruned outputs of a deleted API');
    return sync.error === undefined ? { type: 'done' } : { type: 'retry', error: new Error(sync.error) };
  }

  async #finish(
    cached: CachedApi,
    facts: StatusFacts,
    sync: SyncResult,
    failures: readonly EventInput[],
  ): Promise<void> {
    const events: EventInput[] = [
      ...sync.created
        .slice(0, 1)
        .map((o) => ({ type: 'Normal' as const, reason: 'RouteCreated', message: `created ${o.kind} ${o.name}` })),
      ...sync.updated
        .slice(0, 1)
        .map((o) => ({ type: 'Normal' as const, reason: 'RouteUpdated', message: `updated ${o.kind} ${o.name}` })),
      ...sync.removed.map((o) => ({
        type: 'Normal' as const,
        reason: 'RouteRemoved',
        message: `removed ${o.kind} ${o.name}`,
      })),
      ...failures,
    ];
    if (failures.length === 0) this.#events.clear(cached.key);
    for (const event of events.filter((e) => this.#events.shouldEmit(cached.key, e))) {
      await this.#d.writer.event(cached, event).catch((e: unknown) => {
        this.#d.logger.warn({ object: cached.key, reason: event.reason, err: describe(e) }, 'event not recorded');
      });
    }
    await this.#writeStatus(cached, facts);
  }

  async #writeStatus(cached: CachedApi, facts: StatusFacts): Promise<void> {
    const subresource = this.#d.state.statusSubresource(cached.key);
    const now = (this.#d.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
    let patch = statusMergePatch(cached.status, desiredStatus(facts, cached.status, now));
    if (patch === undefined) return;
    if (!subresource && cached.generation !== undefined) {
      // Without a status subresource our own write bumps metadata.generation; the write is
      // pinned to this resourceVersion, so generation + 1 is exactly what it will have observed.
      patch = statusMergePatch(cached.status, desiredStatus(facts, cached.status, now, cached.generation + 1)) ?? patch;
    }
    await this.#d.writer.patchApiStatus(cached, patch, subresource);
  }

  async #propagate(
    api: ApiModel,
    cached: CachedApi,
    urls: { url?: string; developerUI?: string },
    facts: StatusFacts,
  ): Promise<void> {
    const ref = api.source.component;
    if (ref === undefined) return;
    const component = this.#d.state.component(api.source.namespace, ref.name);
    if (component?.uid !== ref.uid) {
      this.#d.logger.debug(
        { object: cached.key, component: ref.name },
        'owning component not found; status not propagated',
      );
      return;
    }
    const ready =
      facts.applyError === undefined && urls.url !== undefined && facts.implementationReady && routeAccepted(facts);
    const ops = componentStatusPatch(component, cached.uid, { ...urls, ready });
    if (ops === undefined) {
      if (!component.entries.some((e) => e.uid === cached.uid)) {
        this.#d.logger.debug(
          { object: cached.key, component: ref.name },
          'component has no status entry for this API yet',
        );
      }
      return;
    }
    await this.#d.writer.patchComponentStatus(component, ops, this.#d.state.componentStatusSubresource());
  }
}

function nameOf(key: string): string {
  return key.split('/')[2] ?? key;
}

function gen(cached: CachedApi): { generation?: number } {
  return cached.generation === undefined ? {} : { generation: cached.generation };
}
