import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { projectOwned } from '../../core/operator/projections.ts';
import { inSync } from '../../core/reconcile/output-sync.ts';
import type { KubeObject } from '../../core/sdk/kube-object.ts';

const desired = (prefix: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: {
    name: 'a',
    namespace: 'ns',
    labels: { 'app.kubernetes.io/managed-by': 'oda-api-operator' },
    annotations: { 'oda-api-operator/source': 'ExposedAPI/ns/a' },
  },
  spec: { http: [{ match: [{ uri: { prefix } }] }] },
});

/** The live object as the API server returns it: what was applied, plus server fields and defaults. */
const live = (want: KubeObject, rv: string): KubeRawObject =>
  ({
    ...want,
    metadata: { ...want.metadata, uid: 'u1', resourceVersion: rv, generation: 1 },
    spec: { ...want.spec, gateways: ['mesh'] },
  }) as unknown as KubeRawObject;

describe('inSync', () => {
  it('judges containment, remembers it, and may then drop the content', () => {
    const want = desired('/a');
    const cached = projectOwned(live(want, '1'));
    assert.equal(inSync(cached, want, true), true);
    assert.equal(cached.contentForgotten, true);
    assert.throws(() => cached.spec, /VirtualService ns\/a: its content was dropped/);
    assert.equal(inSync(cached, desired('/a'), true), true, 'the same desired object, decided by digest');
    assert.equal(inSync(cached, desired('/b'), true), false, 'another desired object: applied again');
  });

  it('keeps the content when asked to, and sees drift in a new version', () => {
    const want = desired('/a');
    const kept = projectOwned(live(want, '1'));
    assert.equal(inSync(kept, want), true);
    assert.equal(kept.contentForgotten, false);
    assert.deepEqual((kept.spec as { gateways: string[] }).gateways, ['mesh']);
    const drifted = projectOwned(live(desired('/edited'), '2'));
    assert.equal(inSync(drifted, want, true), false, 'a new version is judged on its content');
    assert.equal(drifted.contentForgotten, false, 'content is dropped only once found in sync');
  });
});
