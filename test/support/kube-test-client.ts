import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import type { ClosableKubeClient } from '../../core/kube/kube-client.ts';
import { isNotFound } from '../../core/kube/kube-api-error.ts';
import { deleteObject, mergePatch, serverSideApply } from '../../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import type { ResourceType } from '../../core/kube/resource-type.ts';
import { objectPath } from '../../core/kube/resource-type.ts';

export const TYPES = {
  ExposedAPI: { group: 'oda.tmforum.org', version: 'v1', plural: 'exposedapis', kind: 'ExposedAPI', namespaced: true },
  ExposedAPIv1beta3: {
    group: 'oda.tmforum.org',
    version: 'v1beta3',
    plural: 'exposedapis',
    kind: 'ExposedAPI',
    namespaced: true,
  },
  ExposedAPIv1beta4: {
    group: 'oda.tmforum.org',
    version: 'v1beta4',
    plural: 'exposedapis',
    kind: 'ExposedAPI',
    namespaced: true,
  },
  API: { group: 'oda.tmforum.org', version: 'v1alpha4', plural: 'apis', kind: 'API', namespaced: true },
  Component: { group: 'oda.tmforum.org', version: 'v1', plural: 'components', kind: 'Component', namespaced: true },
  VirtualService: {
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'virtualservices',
    kind: 'VirtualService',
    namespaced: true,
  },
  Ingress: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress', namespaced: true },
  ServiceMonitor: {
    group: 'monitoring.coreos.com',
    version: 'v1',
    plural: 'servicemonitors',
    kind: 'ServiceMonitor',
    namespaced: true,
  },
  Service: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  EndpointSlice: {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;

export type TypeName = keyof typeof TYPES;

/** A test's hands on the cluster: apply, read, patch and delete any of the kinds above. */
export class KubeTestClient {
  readonly client: ClosableKubeClient;

  constructor(kc: KubeConfig) {
    this.client = createKubeClient(kc, { userAgent: 'oda-api-operator-tests', writeQps: 1000, writeBurst: 1000 });
  }

  async apply(type: TypeName, object: KubeRawObject): Promise<KubeRawObject> {
    return serverSideApply(this.client, TYPES[type], object, { fieldManager: 'integration-test', force: true });
  }

  async get(type: TypeName, namespace: string, name: string): Promise<KubeRawObject | undefined> {
    try {
      return (
        await this.client.request<KubeRawObject>({ method: 'GET', path: objectPath(TYPES[type], namespace, name) })
      ).body;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async patch(
    type: TypeName,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
    subresource?: string,
  ): Promise<KubeRawObject> {
    return mergePatch(this.client, TYPES[type], namespace, name, patch, subresource, {
      fieldManager: 'integration-test',
    });
  }

  async delete(type: TypeName, namespace: string, name: string): Promise<boolean> {
    return deleteObject(this.client, TYPES[type], namespace, name);
  }

  close(): void {
    this.client.close();
  }
}
