import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeApi } from '../../core/model/normalize.ts';
import type { ApiModel, JsonObject, ObservedObject } from '../../core/sdk/index.ts';
import { gatewayAddress } from '../../drivers/gateway-api/gateway-address.ts';
import { gatewayApiDriver } from '../../drivers/gateway-api/index.ts';
import { exposedApi } from '../support/api-fixtures.ts';

const settings = gatewayApiDriver.parseSettings({ gatewayApiParent: 'infra/gw' });

function model(spec: Record<string, unknown> = {}): ApiModel {
  const result = normalizeApi(exposedApi(spec));
  assert.ok(result.ok);
  return result.api;
}

function gateway(status: JsonObject, listeners: JsonObject[] = [{ name: 'web', port: 8080, protocol: 'HTTP' }]) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    namespace: 'infra',
    name: 'gw',
    spec: { listeners },
    status,
  } satisfies ObservedObject;
}

function route(parents: unknown, generation = 2): ObservedObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    namespace: 'components',
    name: 'a',
    generation,
    spec: {},
    status: { parents } as JsonObject,
  };
}

const verdict = (parentRef: JsonObject, accepted: string, extra: JsonObject = {}) => ({
  parentRef,
  controllerName: 'example.org/gw',
  conditions: [
    { type: 'Accepted', status: accepted, reason: 'Because', message: 'said so', observedGeneration: 2, ...extra },
    { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '', observedGeneration: 2 },
  ],
});
const ours = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' };

describe('gateway-api driver', () => {
  it('reads its settings: the parent needs a namespace; section and host name are optional', () => {
    assert.deepEqual(gatewayApiDriver.parseSettings({ gatewayApiParent: 'gateway-system/component-gateway' }), {
      parent: { namespace: 'gateway-system', name: 'component-gateway' },
    });
    assert.deepEqual(
      gatewayApiDriver.parseSettings({
        gatewayApiParent: 'infra/gw',
        gatewayApiSectionName: 'web',
        publicHostname: 'Canvas.Example.org',
      }),
      { parent: { namespace: 'infra', name: 'gw', sectionName: 'web' }, publicHostname: 'canvas.example.org' },
    );
    assert.throws(() => gatewayApiDriver.parseSettings({ gatewayApiParent: 'gw' }), {
      message: 'invalid setting gatewayApiParent: must be "namespace/name", got "gw"',
    });
    assert.throws(
      () => gatewayApiDriver.parseSettings({ gatewayApiParent: 'infra/gw', gatewayApiSectionName: 'Web!' }),
      {
        name: 'SettingsError',
      },
    );
  });

  it('publishes the Gateway address with the port of its listener', () => {
    const read = (status: JsonObject, listeners?: JsonObject[], section?: string) =>
      gatewayAddress(gateway(status, listeners), section);
    assert.equal(read({}), undefined);
    assert.deepEqual(read({ addresses: [{ type: 'IPAddress', value: '192.0.2.1' }] }), {
      host: '192.0.2.1',
      port: 8080,
    });
    assert.deepEqual(read({ addresses: [{ value: '2001:db8::1' }] }), { host: '2001:db8::1', port: 8080 });
    assert.deepEqual(
      read({
        addresses: [
          { type: 'example.org/named', value: 'pool-a' },
          { type: 'Hostname', value: 'gw.example.org' },
        ],
      }),
      { host: 'gw.example.org', port: 8080 },
    );
    assert.deepEqual(read({ addresses: [{ value: '192.0.2.1' }] }, [{ name: 'web', port: 80, protocol: 'HTTP' }]), {
      host: '192.0.2.1',
    });
    const listeners = [
      { name: 'tcp', port: 5432, protocol: 'TCP' },
      { name: 'web', port: 8080, protocol: 'HTTP' },
      { name: 'secure', port: 443, protocol: 'HTTPS' },
    ];
    assert.deepEqual(read({ addresses: [{ value: '192.0.2.1' }] }, listeners), { host: '192.0.2.1', port: 8080 });
    assert.deepEqual(read({ addresses: [{ value: '192.0.2.1' }] }, listeners, 'secure'), { host: '192.0.2.1' });
    assert.equal(read({ addresses: [{ value: 'gw.example.org/evil' }] }), undefined);
  });

  it('reflects Accepted and ResolvedRefs of its own parent, pending until they describe the current route', () => {
    const conditions = (parents: unknown, generation?: number) =>
      gatewayApiDriver.routeConditions?.(route(parents, generation), settings).map((c) => [c.type, c.status, c.reason]);
    const pending = [
      ['RouteAccepted', 'Unknown', 'Pending'],
      ['RouteResolvedRefs', 'Unknown', 'Pending'],
    ];
    assert.deepEqual(conditions(undefined), pending);
    assert.deepEqual(conditions([verdict({ ...ours, name: 'other' }, 'True')]), pending);
    assert.deepEqual(conditions([verdict({ ...ours, sectionName: 'web' }, 'True')]), pending);
    assert.deepEqual(conditions([verdict(ours, 'True')], 3), pending, 'a verdict on generation 2 of generation 3');
    assert.deepEqual(conditions([verdict({ name: 'gw', namespace: 'infra' }, 'False')]), [
      ['RouteAccepted', 'False', 'Because'],
      ['RouteResolvedRefs', 'True', 'ResolvedRefs'],
    ]);
    const odd = gatewayApiDriver.routeConditions?.(
      route([verdict(ours, 'Perhaps', { reason: 'not a reason', message: 'x'.repeat(5000) })]),
      settings,
    );
    assert.deepEqual(odd?.[0] && [odd[0].status, odd[0].reason, odd[0].message.length], [
      'Unknown',
      'Unspecified',
      1024,
    ]);
  });

  it('matches the route host names of the API, else the public host name; an IP address matches any host', () => {
    const host = (api: ApiModel, s = settings) =>
      gatewayApiDriver.translate({ api, settings: s, cluster: { availableKinds: new Set() } }).objects[0]?.spec
        ?.hostnames;
    const withPublic = gatewayApiDriver.parseSettings({
      gatewayApiParent: 'infra/gw',
      publicHostname: 'canvas.example.org',
    });
    assert.equal(host(model()), undefined);
    assert.deepEqual(host(model(), withPublic), ['canvas.example.org']);
    assert.deepEqual(host(model({ hostname: 'shop.example.org' }), withPublic), ['shop.example.org']);
    const address = model({ hostname: '192.0.2.9', CORS: { enabled: true } });
    const out = gatewayApiDriver.translate({ api: address, settings, cluster: { availableKinds: new Set() } });
    assert.equal(out.objects[0]?.spec?.hostnames, undefined);
    assert.equal(out.conditions.length, 1);
    assert.match(out.conditions[0]?.message ?? '', /spec\.CORS.*; host 192\.0\.2\.9 is an IP address/);
    assert.deepEqual(gatewayApiDriver.routeClaim(address, settings), { gateway: 'gateway/infra/gw/', host: '*' });
  });
});
