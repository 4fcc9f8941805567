import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { projectApi } from '../../core/operator/projections.ts';

function exposedApi(name: string, extra: Partial<KubeRawObject['metadata']> = {}): KubeRawObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: {
      name,
      namespace: 'components',
      uid: `uid-${name}`,
      resourceVersion: '17',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'oda.tmforum.org/componentName': 'shop' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', note: 'kept' },
      ...extra,
    },
    spec: { path: `/shop/${name}/v4`, port: 8080, implementation: `${name}-svc` },
    status: { apiStatus: { url: 'http://x' } },
  };
}

describe('cached API projection', () => {
  it('gives back the object without status, managedFields and the last-applied annotation', () => {
    const cached = projectApi(exposedApi('orders'));
    const { status: _status, ...rest } = exposedApi('orders');
    const { managedFields: _managed, ...metadata } = rest.metadata;
    assert.deepEqual(cached.raw, { ...rest, metadata: { ...metadata, annotations: { note: 'kept' } } });
    assert.equal(cached.key, 'ExposedAPI/components/orders');
    assert.equal(cached.uid, 'uid-orders');
    assert.equal(cached.resourceVersion, '17');
    assert.equal(cached.generation, 3);
  });

  it('keeps each API its own object when two differ only in what is kept apart', () => {
    const a = projectApi(exposedApi('same', { uid: 'u-a', resourceVersion: '1' }));
    const b = projectApi({
      ...exposedApi('same', { uid: 'u-b', resourceVersion: '2' }),
      spec: exposedApi('same').spec,
    });
    assert.equal((a.raw.metadata as { uid: string }).uid, 'u-a');
    assert.equal((b.raw.metadata as { uid: string }).uid, 'u-b');
    assert.equal((a.raw.metadata as { resourceVersion: string }).resourceVersion, '1');
  });

  it('leaves out what the object did not have', () => {
    const raw: KubeRawObject = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      metadata: { name: 'bare', namespace: 'n' },
    };
    assert.deepEqual(projectApi(raw).raw, raw);
  });
});
