import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient, KubeRequest, KubeResponse } from '../../core/kube/kube-client.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import { EventSink } from '../../core/operator/event-sink.ts';
import { KubeWriter } from '../../core/operator/kube-writer.ts';
import { Overlay } from '../../core/operator/overlay.ts';
import type { CachedApi } from '../../core/reconcile/ports.ts';

/** A client that records what is posted; nothing else is called by Events. */
function postingClient() {
  const posted: Record<string, unknown>[] = [];
  const client: KubeClient = {
    request<T>(request: KubeRequest): Promise<KubeResponse<T>> {
      assert.equal(request.method, 'POST');
      posted.push(request.body as Record<string, unknown>);
      return Promise.resolve({ status: 201, body: request.body as T });
    },
    watch: () => {
      throw new Error('no watch in this test');
    },
  };
  return { client, posted };
}

const api: CachedApi = {
  key: 'ExposedAPI/ns/orders',
  apiVersion: 'oda.tmforum.org/v1',
  resourceVersion: '42',
  uid: 'u-1',
  deleting: false,
  status: undefined,
  raw: { metadata: { name: 'orders', namespace: 'ns' } },
};

describe('KubeWriter Events', () => {
  it('an Event deferred behind busy reconciles keeps the time it happened', async () => {
    const { client, posted } = postingClient();
    let busy = true;
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const sink = new EventSink({ maxQueue: 10, concurrency: 1, logger: silentLogger, busy: () => busy });
    const writer = new KubeWriter({
      client,
      // Events never touch the overlays (they serve applies and patches).
      state: { apiOverlay: new Overlay(), ownedOverlay: new Overlay() },
      fieldManager: 'test',
      types: new Map(),
      instance: 'pod-a',
      now: () => new Date(clock),
      events: sink,
    });
    await writer.event(api, { type: 'Normal', reason: 'RouteCreated', message: 'created' });
    clock += 20_000;
    assert.equal(posted.length, 0, 'deferred while busy');
    busy = false;
    sink.resume();
    await new Promise((resolve) => setImmediate(resolve));
    sink.stop();
    assert.equal(posted.length, 1);
    const event = posted[0];
    assert.equal(event?.firstTimestamp, '2026-01-01T00:00:00.000Z');
    assert.equal(event.lastTimestamp, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(event.involvedObject, {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      name: 'orders',
      namespace: 'ns',
      uid: 'u-1',
      resourceVersion: '42',
    });
    assert.deepEqual(event.metadata, { name: '', generateName: 'orders.', namespace: 'ns' });
  });
});
