import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  apiVersionOf,
  collectionPath,
  endpointSliceType,
  leaseType,
  namespaceType,
  objectPath,
  qualifiedResource,
  serviceType,
  type ResourceType,
} from '../../core/kube/resource-type.ts';

const exposedApis: ResourceType = {
  group: 'oda.tmforum.org',
  version: 'v1',
  plural: 'exposedapis',
  kind: 'ExposedAPI',
  namespaced: true,
};

describe('resource paths', () => {
  it('names the API version of core and named groups', () => {
    assert.equal(apiVersionOf(serviceType), 'v1');
    assert.equal(apiVersionOf(endpointSliceType), 'discovery.k8s.io/v1');
    assert.equal(apiVersionOf(leaseType), 'coordination.k8s.io/v1');
  });

  it('builds collection paths in one namespace and across all', () => {
    assert.equal(collectionPath(serviceType, 'components'), '/api/v1/namespaces/components/services');
    assert.equal(collectionPath(serviceType), '/api/v1/services');
    assert.equal(collectionPath(exposedApis, 'c1'), '/apis/oda.tmforum.org/v1/namespaces/c1/exposedapis');
    assert.equal(collectionPath(exposedApis), '/apis/oda.tmforum.org/v1/exposedapis');
  });

  it('ignores a namespace for cluster-scoped kinds', () => {
    assert.equal(collectionPath(namespaceType, 'x'), '/api/v1/namespaces');
    assert.equal(objectPath(namespaceType, undefined, 'components'), '/api/v1/namespaces/components');
    assert.equal(objectPath(namespaceType, 'ignored', 'components'), '/api/v1/namespaces/components');
  });

  it('builds object and subresource paths', () => {
    assert.equal(
      objectPath(exposedApis, 'c1', 'a-b', 'status'),
      '/apis/oda.tmforum.org/v1/namespaces/c1/exposedapis/a-b/status',
    );
    assert.equal(objectPath(endpointSliceType, 'n', 's'), '/apis/discovery.k8s.io/v1/namespaces/n/endpointslices/s');
  });

  it('refuses a namespaced object without namespace and unsafe segments', () => {
    assert.throws(() => objectPath(serviceType, undefined, 'x'), /needs a namespace/);
    assert.throws(() => objectPath(serviceType, 'n', '..'), /invalid path segment/);
    assert.equal(objectPath(serviceType, 'n', 'a/b'), '/api/v1/namespaces/n/services/a%2Fb');
  });

  it('qualifies resources as RBAC does', () => {
    assert.equal(qualifiedResource(serviceType), 'services');
    assert.equal(qualifiedResource(exposedApis), 'exposedapis.oda.tmforum.org');
  });
});
