/** Builders of raw ExposedAPI / API objects for unit tests. */
export type RawObject = Record<string, unknown>;

export function exposedApi(spec: RawObject = {}, meta: RawObject = {}, version = 'v1'): RawObject {
  return {
    apiVersion: `oda.tmforum.org/${version}`,
    kind: 'ExposedAPI',
    metadata: { name: 'r1-catalog-tmf620', namespace: 'components', ...meta },
    spec: {
      name: 'productcatalogmanagement',
      apiType: 'openapi',
      specification: { url: 'https://example.org/TMF620.json', version: '4.0.0' },
      implementation: 'r1-catalog-api',
      path: '/r1-catalog/tmf-api/productCatalogManagement/v4',
      port: 8080,
      ...spec,
    },
  };
}

export function legacyApi(spec: RawObject = {}, version = 'v1alpha4', kind = 'API'): RawObject {
  return {
    apiVersion: `oda.tmforum.org/${version}`,
    kind,
    metadata: { name: 'r1-legacy-party', namespace: 'components' },
    spec: {
      name: 'partymanagement',
      specification: 'https://example.org/TMF632.json',
      implementation: 'r1-party-api',
      apitype: 'openapi',
      path: '/r1-party/tmf-api/partyManagement/v4',
      developerUI: '/r1-party/tmf-api/partyManagement/v4/docs',
      port: 8080,
      ...spec,
    },
  };
}

/** Replaces `spec` entirely (for missing-field cases). */
export function withSpec(raw: RawObject, spec: unknown): RawObject {
  return { ...raw, spec };
}
