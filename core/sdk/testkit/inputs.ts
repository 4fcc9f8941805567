import { normalizeApi } from '../../model/normalize.ts';
import type { ApiModel } from '../api-model.ts';
import type { ObservedObject } from '../driver.ts';
import type { JsonObject } from '../json.ts';

/** Inputs at the edges of what the core accepts, and beyond, for the conformance kit. */

const label63 = (c: string): string => c.repeat(63);
const NAME_253 = [label63('a'), label63('b'), label63('c'), 'd'.repeat(61)].join('.');
const NAMESPACE_63 = `ns-${'n'.repeat(60)}`;

function exposedApi(name: string, spec: JsonObject, meta: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: { name, namespace: 'components', labels: { 'oda.tmforum.org/componentName': 'r1-kit' }, ...meta },
    spec: {
      name: 'kitapi',
      apiType: 'openapi',
      specification: { url: 'https://example.org/kit.json', version: '1.0.0' },
      implementation: 'kit-svc',
      path: '/r1-kit/tmf-api/kit/v1',
      port: 8080,
      ...spec,
    },
  };
}

const EVERY_POLICY: JsonObject = {
  CORS: {
    enabled: true,
    allowCredentials: true,
    allowOrigins: '*',
    handlePreflightRequests: { enabled: true, allowHeaders: 'Origin', allowMethods: 'GET, POST', maxAge: 600 },
  },
  rateLimit: { enabled: true, identifier: 'IP', limit: '100', interval: 'pm' },
  quota: { identifier: 'IP', limit: '1000' },
  apiKeyVerification: { enabled: true, location: 'header' },
  OASValidation: { requestEnabled: true, responseEnabled: true },
};

/** Raw API objects valid for the core at the limits of names, labels, paths, ports and types. */
const BOUNDARY_OBJECTS: readonly JsonObject[] = [
  exposedApi(NAME_253, {}),
  exposedApi(label63('x'), { implementation: `s${'v'.repeat(62)}`, port: 65535 }),
  exposedApi('kit-namespace', {}, { namespace: NAMESPACE_63 }),
  exposedApi(
    'kit-labels',
    {},
    {
      labels: { 'oda.tmforum.org/componentName': label63('c'), [`${NAME_253.slice(0, 240)}/${label63('k')}`]: '' },
    },
  ),
  exposedApi('kit-root-path', { path: '/', developerUI: '/docs' }),
  exposedApi('kit-long-path', { path: `/${'p'.repeat(1023)}` }),
  exposedApi('kit-wildcard-host', { hostname: '*.example.org', segment: 'managementFunction' }),
  exposedApi('kit-long-host', { hostname: [label63('h'), label63('i'), label63('j'), 'example.org'].join('.') }),
  exposedApi('kit-address-host', { hostname: '192.0.2.7' }),
  exposedApi('kit-policies', EVERY_POLICY),
  exposedApi('kit-prometheus', { apiType: 'prometheus', path: '/metrics' }),
  exposedApi('kit-openmetrics', { apiType: 'openmetrics', path: '/metrics', port: 9090 }),
  exposedApi('kit-mcp', { apiType: 'mcp', segment: 'securityFunction' }),
  {
    apiVersion: 'oda.tmforum.org/v1alpha4',
    kind: 'API',
    metadata: { name: 'kit-legacy', namespace: 'components' },
    spec: {
      name: 'legacy',
      specification: 'https://example.org/legacy.json',
      implementation: 'legacy-svc',
      apitype: 'openapi',
      path: '/r1-kit/legacy/v1',
      port: 80,
    },
  },
];

/** Valid models at the limits; every output for them must satisfy Kubernetes limits. */
export function boundaryApis(): ApiModel[] {
  return BOUNDARY_OBJECTS.map((raw) => {
    const result = normalizeApi(raw, { defaultNamespace: 'components' });
    if (!result.ok) throw new Error(`conformance kit: boundary input rejected: ${JSON.stringify(result.problems)}`);
    return result.api;
  });
}

/**
 * Models the core never produces (it rejects such objects), so a driver may return nothing useful
 * for them; it must still return `{ objects, conditions }` and never throw.
 */
export function hostileApis(base: ApiModel): ApiModel[] {
  const junk = (changes: Record<string, unknown>): ApiModel => ({ ...base, ...changes });
  const source = (changes: Record<string, unknown>): ApiModel => junk({ source: { ...base.source, ...changes } });
  return [
    junk({ implementation: '', path: '', port: 0 }),
    junk({ path: 'no-leading-slash', port: -1 }),
    junk({ port: Number.NaN, hostname: '' }),
    junk({ port: 1e12, hostname: 'UPPER.Example..org' }),
    junk({ path: `/${'x'.repeat(100_000)}`, implementation: 'Ünïcödé svc' }),
    junk({ apiName: '', specification: [], extra: { deep: [[[{ a: null }]]] } }),
    junk({ apiType: 'graphql', segment: 'nowhere' }),
    junk({ developerUI: 'no-slash', basicAuth: { username: { name: 'x', key: 1 } } }),
    junk({
      policies: {
        cors: {
          enabled: true,
          allowCredentials: true,
          allowOrigins: [],
          handlePreflightRequests: { enabled: true, allowHeaders: [], allowMethods: [], maxAge: -1 },
        },
        rateLimit: { enabled: true },
        quota: {},
        apiKeyVerification: { enabled: true },
        oasValidation: {
          requestEnabled: true,
          responseEnabled: false,
          allowUnspecifiedHeaders: true,
          allowUnspecifiedQueryParams: true,
          allowUnspecifiedCookies: true,
        },
      },
    }),
    source({ name: '', namespace: '' }),
    source({ name: 'x'.repeat(400), namespace: 'UPPER' }),
    source({ labels: { '': '', 'bad key!': 'bad value!'.repeat(20) } }),
    source({ kind: 'API', version: 'v1alpha1', uid: '', generation: -1 }),
  ];
}

const STATUSES: readonly unknown[] = [
  {},
  { parents: null, addresses: null, conditions: null, loadBalancer: null },
  { parents: 'x', addresses: 'x', conditions: 'x', loadBalancer: 'x' },
  { parents: [null, 1, 'x', [], {}], addresses: [null, 1, {}], conditions: [null, 1, {}] },
  {
    parents: [
      { parentRef: 'x', conditions: 'y' },
      { parentRef: { name: 1, namespace: [] }, controllerName: 5 },
    ],
    addresses: [{ value: 'a b' }, { value: 1 }, { type: 'IPAddress', value: '' }],
    loadBalancer: { ingress: [{ ip: 1 }, 'x'] },
  },
  {
    conditions: [
      { type: 1 },
      {
        type: 'Accepted',
        status: 'Maybe',
        reason: 'not a reason!',
        message: 'm'.repeat(100_000),
        observedGeneration: 'x',
      },
      { type: 'Ready', status: 'True', reason: 'Ready', message: 'ok', observedGeneration: 99 },
    ],
    addresses: [{ type: 'Hostname', value: 'gw.example.org/evil?x' }],
  },
];

const SPECS: readonly unknown[] = [
  {},
  { listeners: 'x' },
  { listeners: [null, { port: 'x' }, { port: 1e9, protocol: 'HTTP' }] },
];

/** Live objects with junk in spec and status, for `routeConditions` and `AddressSource.read`. */
export function hostileObjects(): ObservedObject[] {
  const out: ObservedObject[] = [];
  for (const [i, status] of STATUSES.entries()) {
    const spec = SPECS[i % SPECS.length];
    const generation = [undefined, 1, 0, -5, Number.NaN, 2 ** 60][i % 6];
    out.push({
      apiVersion: 'example.org/v1',
      kind: 'Thing',
      namespace: 'components',
      name: 'kit',
      spec: spec as JsonObject,
      status: status as JsonObject,
      ...(generation === undefined ? {} : { generation }),
    });
  }
  return out;
}
