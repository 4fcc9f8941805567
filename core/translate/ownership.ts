import type { ApiSource } from '../sdk/api-model.ts';
import type { KubeObject } from '../sdk/kube-object.ts';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'oda-api-operator';
export const DRIVER_LABEL = 'oda-api-operator/driver';
export const SOURCE_ANNOTATION = 'oda-api-operator/source';

/** `ExposedAPI/ns/name`: which API object an output belongs to (annotations have no length limit). */
export function sourceRef(source: Pick<ApiSource, 'kind' | 'namespace' | 'name'>): string {
  return `${source.kind}/${source.namespace}/${source.name}`;
}

/** Adds the labels and annotation by which the core recognizes its own outputs. */
export function stampOwnership(object: KubeObject, source: ApiSource, driverId: string): KubeObject {
  const { metadata } = object;
  return {
    ...object,
    metadata: {
      ...metadata,
      labels: { ...metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [DRIVER_LABEL]: driverId },
      annotations: { ...metadata.annotations, [SOURCE_ANNOTATION]: sourceRef(source) },
    },
  };
}
