import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeApi } from '../../core/model/normalize.ts';
import type { NormalizeResult } from '../../core/model/normalize.ts';
import type { ApiModel } from '../../core/sdk/api-model.ts';
import { exposedApi, legacyApi, withSpec } from '../support/api-fixtures.ts';

function ok(result: NormalizeResult): ApiModel {
  if (!result.ok) assert.fail(`expected a valid API, got ${JSON.stringify(result.problems)}`);
  return result.api;
}

function fields(result: NormalizeResult): string[] {
  if (result.ok) assert.fail('expected problems, got a valid API');
  return result.problems.map((p) => p.field);
}

describe('normalizeApi: specification shapes', () => {
  it('reads v1 object {url, version}', () => {
    const api = ok(normalizeApi(exposedApi()));
    assert.deepEqual(api.specification, [{ url: 'https://example.org/TMF620.json', version: '4.0.0' }]);
  });

  it('reads v1beta4 array of {url, version}', () => {
    const raw = exposedApi({ specification: [{ url: 'u1', version: 'v4' }, { url: 'u2' }] }, {}, 'v1beta4');
    assert.deepEqual(ok(normalizeApi(raw)).specification, [{ url: 'u1', version: 'v4' }, { url: 'u2' }]);
  });

  it('reads v1beta3 array of URL strings', () => {
    const raw = exposedApi({ specification: ['u1', 'u2'] }, {}, 'v1beta3');
    assert.deepEqual(ok(normalizeApi(raw)).specification, [{ url: 'u1' }, { url: 'u2' }]);
  });

  it('accepts every shape in every version (no conversion webhook upstream)', () => {
    for (const version of ['v1beta3', 'v1beta4', 'v1']) {
      for (const specification of ['u', ['u'], [{ url: 'u' }], { url: 'u' }]) {
        const api = ok(normalizeApi(exposedApi({ specification }, {}, version)));
        assert.deepEqual(api.specification, [{ url: 'u' }], `${version} ${JSON.stringify(specification)}`);
      }
    }
  });

  it('treats a missing specification as none', () => {
    const raw = exposedApi();
    const spec = { ...(raw.spec as Record<string, unknown>) };
    delete spec.specification;
    assert.deepEqual(ok(normalizeApi(withSpec(raw, spec))).specification, []);
  });

  it('names the bad entry', () => {
    assert.deepEqual(fields(normalizeApi(exposedApi({ specification: ['u', 7, { version: 'x' }] }))), [
      'spec.specification[1]',
      'spec.specification[2].url',
    ]);
  });
});

describe('normalizeApi: kinds and versions', () => {
  it('normalizes the legacy API kind with lower-case apitype', () => {
    const api = ok(normalizeApi(legacyApi({ apitype: 'prometheus' })));
    assert.equal(api.source.kind, 'API');
    assert.equal(api.source.group, 'oda.tmforum.org');
    assert.equal(api.apiType, 'prometheus');
    assert.deepEqual(api.specification, [{ url: 'https://example.org/TMF632.json' }]);
    assert.equal(api.developerUI, '/r1-party/tmf-api/partyManagement/v4/docs');
  });

  it('accepts lower-case kind "api" of early legacy objects, every legacy version', () => {
    for (const version of [
      'v1alpha1',
      'v1alpha2',
      'v1alpha3',
      'v1alpha4',
      'v1beta1',
      'v1beta2',
      'v1beta3',
      'v1beta4',
    ]) {
      assert.equal(ok(normalizeApi(legacyApi({}, version, 'api'))).source.version, version);
    }
  });

  it('defaults a legacy API without apitype to openapi but requires apiType on ExposedAPI', () => {
    const legacy = legacyApi();
    delete (legacy.spec as Record<string, unknown>).apitype;
    assert.equal(ok(normalizeApi(legacy)).apiType, 'openapi');
    const exposed = exposedApi();
    delete (exposed.spec as Record<string, unknown>).apiType;
    assert.deepEqual(fields(normalizeApi(exposed)), ['spec.apiType']);
  });

  it('accepts legacy apitype on ExposedAPI and is case-insensitive', () => {
    const raw = exposedApi({ apiType: undefined, apitype: 'OpenMetrics' });
    assert.equal(ok(normalizeApi(raw)).apiType, 'openmetrics');
  });

  it('accepts a digit-string port only on the free-form legacy kind', () => {
    assert.equal(ok(normalizeApi(legacyApi({ port: '8080' }))).port, 8080);
    assert.deepEqual(fields(normalizeApi(exposedApi({ port: '8080' }))), ['spec.port']);
  });

  it('rejects unknown groups, kinds and versions', () => {
    for (const apiVersion of ['oda.tmforum.org/v1alpha1', 'example.com/v1', 'oda.tmforum.org', 42]) {
      assert.deepEqual(fields(normalizeApi({ ...exposedApi(), apiVersion })), ['apiVersion']);
    }
  });

  it('records the owning Component from the owner reference', () => {
    const ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u0' },
      { apiVersion: 'oda.tmforum.org/v1', kind: 'Component', name: 'r1-catalog', uid: 'u1', controller: true },
    ];
    const api = ok(normalizeApi(exposedApi({}, { ownerReferences, uid: 'api-uid', generation: 3 })));
    assert.deepEqual(api.source.component, { name: 'r1-catalog', uid: 'u1' });
    assert.equal(api.source.uid, 'api-uid');
    assert.equal(api.source.generation, 3);
  });
});

describe('normalizeApi: optional fields and policies', () => {
  it('carries hostname (lower-cased), segment, basicAuth and unused fields', () => {
    const basicAuth = { username: { name: 's', key: 'u' }, password: { name: 's', key: 'p' } };
    const raw = exposedApi({
      hostname: 'Shop.Example.COM',
      segment: 'managementFunction',
      basicAuth,
      template: 'tmpl',
      apiSDO: 'TMForum',
      id: 'TMF620',
      required: true,
      resources: [{ a: 1 }],
    });
    const api = ok(normalizeApi(raw));
    assert.equal(api.hostname, 'shop.example.com');
    assert.equal(api.segment, 'managementFunction');
    assert.deepEqual(api.basicAuth, basicAuth);
    assert.deepEqual(api.extra, {
      template: 'tmpl',
      apiSDO: 'TMForum',
      id: 'TMF620',
      required: true,
      resources: [{ a: 1 }],
    });
  });

  it('treats an empty developerUI as none', () => {
    assert.equal(ok(normalizeApi(exposedApi({ developerUI: '' }))).developerUI, undefined);
  });

  it('parses every policy block with the contract defaults', () => {
    const api = ok(
      normalizeApi(
        exposedApi({
          CORS: { enabled: true, allowOrigins: 'https://a.example, https://b.example', handlePreflightRequests: {} },
          rateLimit: { enabled: 'true', identifier: 'IP', limit: 100, interval: 'pm' },
          quota: { identifier: 'IP', limit: '1000' },
          apiKeyVerification: { enabled: true, location: 'header' },
          OASValidation: { requestEnabled: true },
        }),
      ),
    );
    assert.deepEqual(api.policies.cors, {
      enabled: true,
      allowCredentials: false,
      allowOrigins: ['https://a.example', 'https://b.example'],
      handlePreflightRequests: {
        enabled: true,
        allowHeaders: [],
        allowMethods: ['GET', 'POST', 'HEAD', 'OPTIONS'],
        maxAge: 1800,
      },
    });
    assert.deepEqual(api.policies.rateLimit, { enabled: true, identifier: 'IP', limit: '100', interval: 'pm' });
    assert.deepEqual(api.policies.quota, { identifier: 'IP', limit: '1000' });
    assert.deepEqual(api.policies.apiKeyVerification, { enabled: true, location: 'header' });
    assert.equal(api.policies.oasValidation?.requestEnabled, true);
    assert.equal(api.policies.oasValidation.allowUnspecifiedHeaders, true);
  });

  it('names bad fields inside policy blocks', () => {
    const raw = exposedApi({
      CORS: { enabled: 'yes', handlePreflightRequests: { maxAge: -1 } },
      rateLimit: { interval: 'ph' },
      OASValidation: [],
    });
    assert.deepEqual(fields(normalizeApi(raw)), [
      'spec.CORS.enabled',
      'spec.CORS.handlePreflightRequests.maxAge',
      'spec.rateLimit.interval',
      'spec.OASValidation',
    ]);
  });
});
