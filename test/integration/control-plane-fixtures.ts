import assert from 'node:assert/strict';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { statusCodeOf } from '../cluster/index.ts';

/** The three historical shapes of `spec.specification`; every version must accept each. */
export const specificationShapes: Readonly<Record<string, unknown>> = {
  object: { url: 'https://example.org/tmf620.json', version: 'v4.0.0' },
  arrayOfObjects: [{ url: 'https://example.org/tmf620.json', version: 'v4.0.0' }],
  arrayOfStrings: ['https://example.org/tmf620.json', 'https://example.org/tmf620-v5.json'],
};

/** An ExposedAPI body with every required field, overridable spec fields and one unschematized one. */
export function exposedApi(
  version: string,
  name: string,
  spec: Record<string, unknown>,
): { [key: string]: unknown; spec: object } {
  return {
    apiVersion: `oda.tmforum.org/${version}`,
    kind: 'ExposedAPI',
    metadata: { name, labels: { 'oda.tmforum.org/componentName': 'r1-catalog' } },
    spec: {
      name: 'productcatalogmanagement',
      apiType: 'openapi',
      implementation: 'r1-catalog-api',
      path: '/r1-catalog/tmf-api/productCatalogManagement/v4',
      port: 8080,
      hostname: 'components.example.org',
      ...spec,
    },
  };
}

const exposedApis = { group: 'oda.tmforum.org', plural: 'exposedapis', version: 'v1' };
const apiStatus = { apiStatus: { url: 'https://127.0.0.1/r1-catalog', name: 'x' }, implementation: { ready: true } };

interface Stored {
  status?: { apiStatus?: { url?: string } };
}

/** Checks, through discovery and behaviour, whether ExposedAPI has the status subresource. */
export const exposedApiStatusSubresource = {
  async assertPresent(kc: KubeConfig, namespace: string): Promise<void> {
    const api = kc.makeApiClient(CustomObjectsApi);
    for (const version of ['v1beta3', 'v1beta4', 'v1'])
      assert.ok(await servesStatus(api, version), `${version} serves exposedapis/status`);
    await api.createNamespacedCustomObject({ ...exposedApis, namespace, body: exposedApi('v1', 'with-status', {}) });
    const target = { ...exposedApis, namespace, name: 'with-status' };
    await api.patchNamespacedCustomObject({ ...target, body: [{ op: 'add', path: '/status', value: apiStatus }] });
    const afterMain = (await api.getNamespacedCustomObject(target)) as Stored;
    assert.equal(afterMain.status?.apiStatus?.url, undefined, 'a main-resource write ignores status');
    await api.patchNamespacedCustomObjectStatus({
      ...target,
      body: [{ op: 'add', path: '/status', value: apiStatus }],
    });
    const afterStatus = (await api.getNamespacedCustomObject(target)) as Stored;
    assert.equal(afterStatus.status?.apiStatus?.url, apiStatus.apiStatus.url, 'the status subresource stores status');
  },

  async assertAbsent(kc: KubeConfig, namespace: string): Promise<void> {
    const api = kc.makeApiClient(CustomObjectsApi);
    for (const version of ['v1beta3', 'v1beta4', 'v1'])
      assert.equal(await servesStatus(api, version), false, `${version} has no exposedapis/status`);
    await api.createNamespacedCustomObject({ ...exposedApis, namespace, body: exposedApi('v1', 'without-status', {}) });
    const target = { ...exposedApis, namespace, name: 'without-status' };
    await assert.rejects(
      api.patchNamespacedCustomObjectStatus({ ...target, body: [{ op: 'add', path: '/status', value: apiStatus }] }),
      (error) => statusCodeOf(error) === 404,
    );
    await api.patchNamespacedCustomObject({ ...target, body: [{ op: 'add', path: '/status', value: apiStatus }] });
    const stored = (await api.getNamespacedCustomObject(target)) as Stored;
    assert.equal(stored.status?.apiStatus?.url, apiStatus.apiStatus.url, 'status is written through the main resource');
  },
};

async function servesStatus(api: CustomObjectsApi, version: string): Promise<boolean> {
  const resources = await api.getAPIResources({ group: exposedApis.group, version });
  return resources.resources.some((resource) => resource.name === 'exposedapis/status');
}
