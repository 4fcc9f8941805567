import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { inParallel, listAll } from '../support/bulk.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway, readyReason, statusOf } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';

/**
 * 1 000 malformed API objects among 100 valid ones, on the upstream CRD (it checks types and
 * required fields only) and the schema-less legacy kind: no crash, every invalid object gets an
 * InvalidSpec condition naming the field at fault, every valid one is served.
 */
const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

let deep: unknown = 'bottom';
for (let i = 0; i < 40; i += 1) deep = i % 2 === 0 ? [deep] : { junk: deep };

/** Spec changes that pass the upstream schema but cannot work, with the field they break. */
const EXPOSED: readonly [string, (r: () => number) => Record<string, unknown>][] = [
  ['spec.port', (r) => ({ port: [0, -5, 70_000, 2 ** 31 - 1][Math.floor(r() * 4)] })],
  [
    'spec.path',
    (r) => ({
      path: [
        'no-slash',
        '/a/../b',
        '/a//b',
        '/a b',
        '/a\u0000b',
        '/(.*)',
        `/${'x'.repeat(100_000)}`,
        '/caf\u00e9',
        '/a%2Fb',
      ][Math.floor(r() * 9)],
    }),
  ],
  [
    'spec.implementation',
    (r) => ({
      implementation: ['Upper', 'under_score', 'caf\u00e9', 'x'.repeat(1000), '9starts-digit', ''][Math.floor(r() * 6)],
    }),
  ],
  ['spec.hostname', () => ({ hostname: 'not a host!' })],
  ['spec.developerUI', () => ({ developerUI: 'docs-without-slash' })],
  ['spec.rateLimit.interval', () => ({ rateLimit: { enabled: true, limit: '10', interval: 'per-fortnight' } })],
  ['spec.resources', () => ({ resources: [deep] })],
  ['spec.name', () => ({ name: '\u{1F680}'.repeat(300) })],
];

/** Legacy objects have no schema at all: wrong types and missing fields. */
const LEGACY: readonly [string, Record<string, unknown>][] = [
  ['spec.port', { port: 'eighty' }],
  ['spec.port', { port: null }],
  ['spec.path', { path: ['/a'] }],
  ['spec.implementation', { implementation: { name: 'svc' } }],
  ['spec.name', { name: 42 }],
  ['spec.specification', { specification: [1, 2, 3] }],
  ['spec.CORS', { CORS: 'yes' }],
  ['spec.apitype', { apitype: 'soap' }],
];

describe('hostile input at scale', () => {
  it('survives 1 000 malformed objects among 100 valid ones', async (t) => {
    const ns = await cluster.newNamespace('malformed', t);
    await gateway(k, ns, { ip: '192.0.2.70' });
    const r = seeded(7);
    const wantField = new Map<string, string>();
    const objects: { type: 'ExposedAPI' | 'API'; object: KubeRawObject }[] = [];
    for (let i = 0; i < 100; i += 1)
      objects.push({ type: 'ExposedAPI', object: exposedApiObject(ns, `good-${i}`, { path: `/good/${i}` }) });
    for (let i = 0; i < 600; i += 1) {
      const [field, make] = EXPOSED.at(i % EXPOSED.length) ?? ['', () => ({})];
      wantField.set(`ExposedAPI/bad-${i}`, field);
      objects.push({ type: 'ExposedAPI', object: exposedApiObject(ns, `bad-${i}`, { path: `/bad/${i}`, ...make(r) }) });
    }
    for (let i = 0; i < 400; i += 1) {
      const [field, patch] = LEGACY.at(i % LEGACY.length) ?? ['', {}];
      wantField.set(`API/legacy-${i}`, field);
      const spec = {
        name: `legacy-${i}`,
        implementation: 'svc',
        apitype: 'openapi',
        path: `/legacy/${i}`,
        port: 80,
        ...patch,
      };
      objects.push({
        type: 'API',
        object: {
          apiVersion: 'oda.tmforum.org/v1alpha4',
          kind: 'API',
          metadata: { name: `legacy-${i}`, namespace: ns },
          spec,
        },
      });
    }
    const createStart = Date.now();
    await inParallel(objects, 24, ({ type, object }) => k.apply(type, object));
    console.log(`# created ${objects.length} objects in ${((Date.now() - createStart) / 1000).toFixed(1)} s`);
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns, settings: { concurrency: '16' } });
    t.after(() => op.stop());
    const started = Date.now();
    await waitFor(
      async () => {
        const [exposed, legacy] = await Promise.all([
          listAll(k, `/apis/oda.tmforum.org/v1/namespaces/${ns}/exposedapis`),
          listAll(k, `/apis/oda.tmforum.org/v1beta4/namespaces/${ns}/apis`),
        ]);
        return [...exposed, ...legacy].every((o) => readyReason(o) !== undefined) ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000, description: 'a Ready condition on all 1 100 objects' },
    );
    console.log(`# 1 100 objects (1 000 malformed) judged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const exposed = await listAll(k, `/apis/oda.tmforum.org/v1/namespaces/${ns}/exposedapis`);
    const legacy = await listAll(k, `/apis/oda.tmforum.org/v1beta4/namespaces/${ns}/apis`);
    const routes = new Set(
      (await listAll(k, `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`)).map((v) => v.metadata.name),
    );
    for (const o of [...exposed, ...legacy]) {
      const key = `${o.kind ?? ''}/${o.metadata.name}`;
      const field = wantField.get(key);
      if (field === undefined) {
        assert.equal(readyReason(o), 'ImplementationNotReady', `${key} valid and served`);
        assert.ok(routes.has(o.metadata.name), `${key} has its route`);
        continue;
      }
      assert.equal(readyReason(o), 'InvalidSpec', key);
      const message = statusOf(o).conditions?.find((c) => c.type === 'Ready')?.message ?? '';
      const names = message.includes(`${field}:`) || message.includes(`${field}[`) || message.includes(`${field}.`);
      assert.ok(names, `${key}: condition names ${field}: ${message.slice(0, 200)}`);
      assert.ok(!routes.has(o.metadata.name), `${key} has no route`);
    }
    assert.equal(routes.size, 100, 'exactly the valid APIs are routed');
    assert.ok(
      op.outcomes.filter((o) => o.result.type === 'retry').length === 0,
      'invalid input is terminal, never retried',
    );
  });
});
