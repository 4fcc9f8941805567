import type { ResourceType } from '../../core/kube/resource-type.ts';

/** ConfigMaps: the cheapest namespaced kind to create by the thousand in integration tests. */
export const configMapType: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};
