import type { KubeClient } from '../kube/kube-client.ts';
import { createObject, deleteObject, jsonPatch, mergePatch, serverSideApply } from '../kube/kube-writes.ts';
import type { JsonPatchOperation } from '../kube/kube-writes.ts';
import type { KubeRawObject } from '../kube/raw-object.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import type { JsonObject } from '../sdk/json.ts';
import type { KubeObject } from '../sdk/kube-object.ts';
import type { CachedApi, CachedComponent, ClusterWriter, EventInput, OwnedObject } from '../reconcile/ports.ts';
import type { KubeState } from './kube-state.ts';
import type { EventSink } from './event-sink.ts';
import { projectApi, projectOwned } from './projections.ts';

export interface KubeWriterOptions {
  readonly client: KubeClient;
  /** Where writes are remembered for read-your-writes. */
  readonly state: Pick<KubeState, 'ownedOverlay' | 'apiOverlay'>;
  readonly fieldManager: string;
  /** Resource types by `apiVersion/kind` of every kind written. */
  readonly types: ReadonlyMap<string, ResourceType>;
  /** Shown as the source of Events (the pod name in a cluster). */
  readonly instance: string;
  readonly now?: () => Date;
  readonly events: EventSink;
}

const EVENT_TYPE: ResourceType = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

/** The reconciler's side effects against the API server, remembered for read-your-writes. */
export class KubeWriter implements ClusterWriter {
  readonly #o: KubeWriterOptions;

  constructor(options: KubeWriterOptions) {
    this.#o = options;
  }

  #type(apiVersion: string, kind: string): ResourceType {
    const rt = this.#o.types.get(`${apiVersion}/${kind}`);
    if (rt === undefined) throw new Error(`no resource type known for ${apiVersion} ${kind}`);
    return rt;
  }

  async apply(object: KubeObject, force: boolean): Promise<OwnedObject> {
    const rt = this.#type(object.apiVersion, object.kind);
    const raw = await serverSideApply(this.#o.client, rt, object as unknown as KubeRawObject, {
      fieldManager: this.#o.fieldManager,
      force,
    });
    const owned = projectOwned(raw);
    this.#o.state.ownedOverlay.set(`${owned.kind}/${owned.namespace}/${owned.name}`, owned);
    return owned;
  }

  async delete(object: OwnedObject): Promise<void> {
    const rt = this.#type(object.apiVersion, object.kind);
    await deleteObject(this.#o.client, rt, object.namespace, object.name, { uid: object.uid });
    this.#o.state.ownedOverlay.deleted(`${object.kind}/${object.namespace}/${object.name}`, object.resourceVersion);
  }

  async patchApiStatus(api: CachedApi, patch: JsonObject, subresource: boolean): Promise<void> {
    const [kind = '', namespace = '', name = ''] = api.key.split('/');
    const rt = this.#type(api.apiVersion, kind);
    const body = subresource
      ? { status: patch }
      : { metadata: { resourceVersion: api.resourceVersion }, status: patch };
    const raw = await mergePatch(this.#o.client, rt, namespace, name, body, subresource ? 'status' : undefined, {
      fieldManager: this.#o.fieldManager,
    });
    this.#o.state.apiOverlay.set(api.key, projectApi(raw));
  }

  async patchComponentStatus(
    component: CachedComponent,
    ops: readonly JsonObject[],
    subresource: boolean,
  ): Promise<void> {
    const rt = [...this.#o.types.values()].find((t) => t.kind === 'Component');
    if (rt === undefined) throw new Error('the Component kind is not served');
    await jsonPatch(
      this.#o.client,
      rt,
      component.namespace,
      component.name,
      ops as unknown as JsonPatchOperation[],
      subresource ? 'status' : undefined,
      {
        fieldManager: this.#o.fieldManager,
      },
    );
  }

  /**
   * Queued, not awaited: a reconcile never waits for an Event (see EventSink). The queue keeps
   * only what the Event names, not the cached API: an Event may wait seconds while the API's
   * cache entry is replaced, and thousands wait during a start. Its time is when it happened.
   */
  event(api: CachedApi, event: EventInput): Promise<void> {
    const subject: EventSubject = {
      key: api.key,
      apiVersion: api.apiVersion,
      uid: api.uid,
      resourceVersion: api.resourceVersion,
    };
    const at = (this.#o.now?.() ?? new Date()).toISOString();
    this.#o.events.enqueue(() => this.#writeEvent(subject, event, at), event.type === 'Warning');
    return Promise.resolve();
  }

  async #writeEvent(api: EventSubject, event: EventInput, at: string): Promise<void> {
    const [kind = '', namespace = '', name = ''] = api.key.split('/');
    await createObject(this.#o.client, EVENT_TYPE, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: '', generateName: `${name}.`, namespace },
      involvedObject: {
        apiVersion: api.apiVersion,
        kind,
        name,
        namespace,
        uid: api.uid,
        resourceVersion: api.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      message: event.message.slice(0, 1024),
      source: { component: 'oda-api-operator' },
      reportingComponent: 'oda-api-operator',
      reportingInstance: this.#o.instance,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
  }
}

/** What an Event says about its API object. */
type EventSubject = Pick<CachedApi, 'key' | 'apiVersion' | 'uid' | 'resourceVersion'>;
