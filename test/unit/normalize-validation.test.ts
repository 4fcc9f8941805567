import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeApi } from '../../core/model/normalize.ts';
import type { NormalizeResult } from '../../core/model/normalize.ts';
import { exposedApi, withSpec } from '../support/api-fixtures.ts';

function problems(result: NormalizeResult): Record<string, string> {
  if (result.ok) assert.fail('expected problems, got a valid API');
  return Object.fromEntries(result.problems.map((p) => [p.field, p.message]));
}

describe('normalizeApi: required fields and types', () => {
  it('reports every missing required field at once', () => {
    assert.deepEqual(Object.keys(problems(normalizeApi(withSpec(exposedApi(), {})))), [
      'spec.name',
      'spec.apiType',
      'spec.implementation',
      'spec.path',
      'spec.port',
    ]);
  });

  it('reports a missing or non-object spec', () => {
    assert.deepEqual(problems(normalizeApi(withSpec(exposedApi(), undefined))), { spec: 'is required' });
    assert.match(problems(normalizeApi(withSpec(exposedApi(), ['a']))).spec ?? '', /must be an object, got an array/);
    assert.match(problems(normalizeApi(withSpec(exposedApi(), 'x'))).spec ?? '', /must be an object/);
  });

  it('checks the path', () => {
    const cases: [unknown, RegExp][] = [
      ['no-slash', /must start with "\/"/],
      ['/a/../b', /"\." or "\.\." segments/],
      ['/a//b', /empty segment/],
      ['/a b', /may contain only/],
      ['/a\nb', /control characters/],
      ['/a(.*)', /may contain only/],
      ['/a%2e%2e/b', /escaped/],
      ['/' + 'a'.repeat(2000), /at most 1024 characters/],
      [42, /must be a string, got 42/],
      [['/a'], /must be a string, got an array/],
    ];
    for (const [path, expected] of cases) {
      assert.match(problems(normalizeApi(exposedApi({ path })))['spec.path'] ?? '', expected, JSON.stringify(path));
    }
  });

  it('checks the port range and type', () => {
    for (const port of [0, 65536, -1, 80.5, '80', null, true, {}]) {
      const message = problems(normalizeApi(exposedApi({ port })))['spec.port'] ?? '';
      assert.match(message, port === null ? /is required/ : /integer from 1 to 65535/, JSON.stringify(port));
    }
    for (const port of [1, 443, 65535]) assert.ok(normalizeApi(exposedApi({ port })).ok);
  });

  it('checks the implementation is a Service name', () => {
    for (const implementation of ['Upper', '1starts-with-digit', 'has_underscore', 'a'.repeat(64), 'ends-', '']) {
      assert.ok('spec.implementation' in problems(normalizeApi(exposedApi({ implementation }))), implementation);
    }
  });

  it('checks apiType, segment, hostname and developerUI', () => {
    const p = problems(
      normalizeApi(exposedApi({ apiType: 'graphql', segment: 'core', hostname: 'bad host', developerUI: 'docs' })),
    );
    assert.match(p['spec.apiType'] ?? '', /must be one of openapi, prometheus, openmetrics, mcp/);
    assert.match(p['spec.segment'] ?? '', /must be one of coreFunction/);
    assert.match(p['spec.hostname'] ?? '', /DNS name/);
    assert.match(p['spec.developerUI'] ?? '', /must start with/);
  });

  it('checks metadata names and namespaces', () => {
    const p = problems(normalizeApi(exposedApi({}, { name: 'Not_Valid', namespace: 'Bad NS', labels: { a: 1 } })));
    assert.deepEqual(Object.keys(p), ['metadata.name', 'metadata.namespace', 'metadata.labels["a"]']);
  });
});

describe('normalizeApi: hostile values', () => {
  it('survives nulls, arrays and primitives everywhere without throwing', () => {
    const junk: unknown[] = [null, undefined, [], {}, 0, -1, NaN, '', 'x', true, [[[]]], { a: { b: null } }];
    for (const value of junk) {
      for (const field of ['name', 'apiType', 'implementation', 'path', 'port', 'specification', 'CORS', 'rateLimit']) {
        const result = normalizeApi(exposedApi({ [field]: value }));
        assert.equal(typeof result.ok, 'boolean');
      }
      assert.equal(normalizeApi(value).ok, false);
      assert.equal(normalizeApi({ apiVersion: 'oda.tmforum.org/v1', kind: 'ExposedAPI', metadata: value }).ok, false);
    }
  });

  it('shortens huge strings in messages', () => {
    const huge = 'x'.repeat(1_000_000);
    const p = problems(normalizeApi(exposedApi({ apiType: huge, name: huge })));
    assert.ok((p['spec.apiType'] ?? '').length < 300);
    assert.match(p['spec.name'] ?? '', /at most 253 characters, got 1000000/);
  });

  it('keeps unicode out of names and paths but accepts it in free text', () => {
    assert.ok('spec.path' in problems(normalizeApi(exposedApi({ path: '/caf\u00e9' }))));
    assert.ok('spec.implementation' in problems(normalizeApi(exposedApi({ implementation: 'caf\u00e9' }))));
    assert.ok('spec.path' in problems(normalizeApi(exposedApi({ path: '/a\u202eb' }))));
    const api = normalizeApi(exposedApi({ name: 'catalogue \u00e9\u00e8 \ud83d\ude80' }));
    assert.ok(api.ok);
  });

  it('refuses absurdly deep junk in carried fields', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i += 1) deep = { nested: deep };
    assert.match(problems(normalizeApi(exposedApi({ template: deep })))['spec.template'] ?? '', /nested deeper/);
    const basicAuthDeep = problems(normalizeApi(exposedApi({ basicAuth: deep })));
    assert.match(basicAuthDeep['spec.basicAuth'] ?? '', /nested deeper/);
  });

  it('caps the number of specification entries', () => {
    const specification = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
    assert.match(problems(normalizeApi(exposedApi({ specification })))['spec.specification'] ?? '', /at most 64/);
  });

  it('does not let a prototype key reach the model', () => {
    const raw = JSON.parse(
      '{"apiVersion":"oda.tmforum.org/v1","kind":"ExposedAPI","metadata":{"name":"a","namespace":"b","labels":{"__proto__":"x"}},' +
        '"spec":{"name":"n","apiType":"openapi","implementation":"s","path":"/p","port":80,"__proto__":{"polluted":true}}}',
    ) as unknown;
    const result = normalizeApi(raw);
    assert.ok(result.ok);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
