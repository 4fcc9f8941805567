import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeApi } from '../../core/model/normalize.ts';
import type { ApiModel } from '../../core/sdk/api-model.ts';
import type { JsonObject } from '../../core/sdk/json.ts';
import { apiUrls } from '../../core/status/api-url.ts';
import { desiredStatus, statusMemo, statusMergePatch } from '../../core/status/api-status.ts';
import type { StatusFacts } from '../../core/status/api-status.ts';
import { gatewayAddressOf } from '../../core/status/gateway-address.ts';
import { exposedApi } from '../support/api-fixtures.ts';

function model(spec: Record<string, unknown> = {}): ApiModel {
  const r = normalizeApi(exposedApi({ developerUI: '/r1-catalog/docs', ...spec }, { generation: 4 }));
  assert.ok(r.ok);
  return r.api;
}

const https = { scheme: 'https' as const };

describe('URL rule', () => {
  it('uses the gateway address and its http port', () => {
    const svc = {
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
      ingress: [{ ip: '10.0.0.7' }],
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port: 8080 },
      ],
    };
    const address = gatewayAddressOf([svc]);
    assert.deepEqual(address, { host: '10.0.0.7', port: 8080 });
    assert.deepEqual(apiUrls(model(), https, address), {
      url: 'https://10.0.0.7:8080/r1-catalog/tmf-api/productCatalogManagement/v4',
      developerUI: 'https://10.0.0.7:8080/r1-catalog/docs',
    });
  });

  it('omits ports 80 and 443, prefers IP then host name, skips services without address', () => {
    const services = [
      { namespace: 'a', name: 'no-address', ingress: [], ports: [{ name: 'http', port: 81 }] },
      { namespace: 'b', name: 'lb', ingress: [{ hostname: 'lb.example.net' }], ports: [{ name: 'http', port: 80 }] },
    ];
    assert.deepEqual(gatewayAddressOf(services), { host: 'lb.example.net' });
    assert.equal(gatewayAddressOf([]), undefined);
  });

  it('lets spec.hostname, then the public host name, override the address; brackets IPv6', () => {
    const address = { host: '2001:db8::1', port: 8443 };
    assert.match(
      apiUrls(model({ hostname: 'shop.example.org' }), { ...https, publicHostname: 'canvas.example.org' }, address)
        .url ?? '',
      /^https:\/\/shop\.example\.org:8443\//,
    );
    assert.match(
      apiUrls(model(), { ...https, publicHostname: 'canvas.example.org' }).url ?? '',
      /^https:\/\/canvas\.example\.org\/r1/,
    );
    assert.match(apiUrls(model(), { scheme: 'http' }, address).url ?? '', /^http:\/\/\[2001:db8::1\]:8443\//);
    assert.deepEqual(apiUrls(model(), https, undefined), {});
  });
});

describe('status', () => {
  const base = (api: ApiModel): StatusFacts => ({
    name: api.source.name,
    generation: 4,
    api,
    routeUid: 'vs-uid',
    urls: apiUrls(api, https, { host: '10.0.0.7' }),
    address: { host: '10.0.0.7' },
    implementationReady: true,
    driverConditions: [],
  });
  const now = '2026-11-26T00:00:00Z';

  it('writes the contract fields and a Ready condition with observedGeneration', () => {
    const status = desiredStatus(base(model()), undefined, now);
    assert.deepEqual(status.apiStatus, {
      name: 'r1-catalog-tmf620',
      path: '/r1-catalog/tmf-api/productCatalogManagement/v4',
      port: 8080,
      implementation: 'r1-catalog-api',
      uid: 'vs-uid',
      url: 'https://10.0.0.7/r1-catalog/tmf-api/productCatalogManagement/v4',
      developerUI: 'https://10.0.0.7/r1-catalog/docs',
      ip: '10.0.0.7',
    });
    assert.deepEqual(status.implementation, { ready: true });
    assert.deepEqual(status.conditions, [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'served at https://10.0.0.7/r1-catalog/tmf-api/productCatalogManagement/v4',
        lastTransitionTime: now,
        observedGeneration: 4,
      },
    ]);
    assert.equal(status.observedGeneration, 4);
  });

  it('gives the reason when not ready, in priority order', () => {
    const api = model();
    const reason = (facts: Partial<StatusFacts>): string | undefined =>
      desiredStatus({ ...base(api), ...facts }, undefined, now).conditions[0]?.reason;
    const { api: _api, ...invalid } = base(api);
    const invalidFacts: StatusFacts = { ...invalid, problems: [{ field: 'spec.port', message: 'bad' }] };
    assert.equal(desiredStatus(invalidFacts, undefined, now).conditions[0]?.reason, 'InvalidSpec');
    assert.equal(reason({ conflictWith: 'older one' }), 'PathConflict');
    assert.equal(reason({ applyError: 'boom' }), 'ApplyFailed');
    assert.equal(reason({ urls: {} }), 'GatewayAddressPending');
    assert.equal(reason({ implementationReady: false }), 'ImplementationNotReady');
  });

  it('writes nothing when nothing changed, whatever the key order the server returns', () => {
    const desired = desiredStatus(base(model()), undefined, now);
    const fromServer = JSON.parse(
      JSON.stringify(desired, (_k, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
      ),
    ) as JsonObject;
    const memo = statusMemo(fromServer);
    const again = desiredStatus(base(model()), memo, '2026-11-27T00:00:00Z');
    assert.equal(statusMergePatch(memo, again), undefined);
  });

  it('keeps transition times of unchanged conditions and nulls fields no longer wanted', () => {
    const first = statusMemo(desiredStatus(base(model()), undefined, now) as unknown as JsonObject);
    const lost = desiredStatus({ ...base(model()), conflictWith: 'older' }, first, '2026-11-27T00:00:00Z');
    const patch = statusMergePatch(first, lost);
    assert.deepEqual(patch?.apiStatus, {
      name: 'r1-catalog-tmf620',
      path: '/r1-catalog/tmf-api/productCatalogManagement/v4',
      port: 8080,
      implementation: 'r1-catalog-api',
      uid: null,
      url: null,
      developerUI: null,
      ip: null,
    });
    assert.equal(lost.conditions[0]?.lastTransitionTime, '2026-11-27T00:00:00Z');
    const implOnly = desiredStatus({ ...base(model()), implementationReady: false }, first, '2026-11-28T00:00:00Z');
    assert.deepEqual(statusMergePatch(first, implOnly)?.implementation, { ready: false });
    assert.equal(
      implOnly.conditions[0]?.lastTransitionTime,
      '2026-11-28T00:00:00Z',
      'Ready went False: a new transition time',
    );
  });

  it('writes only observedGeneration when that is all that changed, and keeps unchanged transition times', () => {
    const written = desiredStatus(base(model()), undefined, now);
    const memo = statusMemo(written as unknown as JsonObject);
    const later = desiredStatus({ ...base(model()), generation: 5 }, memo, '2026-11-29T00:00:00Z', 4);
    assert.equal(statusMergePatch(memo, later), undefined, 'same generation observed: nothing to write');
    const next = desiredStatus({ ...base(model()), generation: 5 }, memo, '2026-11-29T00:00:00Z');
    assert.equal(next.conditions[0]?.lastTransitionTime, now, 'Ready stayed True');
    assert.equal(statusMergePatch(memo, next)?.observedGeneration, 5);
  });

  it('treats a status someone else edited as changed, and never a missing status as written', () => {
    const written = desiredStatus(base(model()), undefined, now) as unknown as JsonObject;
    const edited = statusMemo({ ...written, apiStatus: { ...(written.apiStatus as JsonObject), url: 'http://evil/' } });
    const again = desiredStatus(base(model()), edited, now);
    assert.equal((statusMergePatch(edited, again)?.apiStatus as JsonObject | undefined)?.url, again.apiStatus.url);
    assert.notEqual(statusMergePatch(undefined, desiredStatus(base(model()), undefined, now)), undefined);
    assert.equal(statusMemo(undefined), undefined);
  });
});
