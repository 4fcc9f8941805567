import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway, implementation, readyReason, statusOf } from '../support/oda-fixtures.ts';
import { startOperator } from '../support/operator-harness.ts';

const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

const until = <T>(description: string, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(probe, { timeoutMs: 15_000, description });
const gone = async (p: Promise<unknown>): Promise<true | undefined> => ((await p) === undefined ? true : undefined);

describe('operator behaviour', () => {
  it('reports invalid specs as conditions and Events, and keeps serving the neighbours', async (t) => {
    const ns = await cluster.newNamespace('invalid', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    await k.apply('ExposedAPI', exposedApiObject(ns, 'good-before'));
    // Passes the CRD schema, but an escaped "/" could never route safely.
    await k.apply('ExposedAPI', exposedApiObject(ns, 'bad', { path: '/r1-test/a%2Fb' }));
    // The legacy kind has no schema: anything goes in, the operator names every bad field.
    await k.apply('API', {
      apiVersion: 'oda.tmforum.org/v1alpha4',
      kind: 'API',
      metadata: { name: 'junk', namespace: ns },
      spec: { name: ['not', 'a', 'string'], implementation: 'Not_A_Service', path: 'relative/../path', port: 70000 },
    });
    await k.apply('ExposedAPI', exposedApiObject(ns, 'good-after'));
    const bad = await until('InvalidSpec', async () => {
      const o = await k.get('ExposedAPI', ns, 'bad');
      return readyReason(o) === 'InvalidSpec' ? o : undefined;
    });
    assert.match(statusOf(bad).conditions?.[0]?.message ?? '', /spec\.path: must not contain escaped/);
    const junk = await until('InvalidSpec on the legacy object', async () => {
      const o = await k.get('API', ns, 'junk');
      return readyReason(o) === 'InvalidSpec' ? o : undefined;
    });
    const message = statusOf(junk).conditions?.[0]?.message ?? '';
    for (const field of ['spec.name', 'spec.implementation', 'spec.path', 'spec.port'])
      assert.ok(message.includes(`${field}:`), `${field} named in ${message}`);
    assert.equal(await k.get('VirtualService', ns, 'bad'), undefined);
    await until('neighbours served', async () =>
      (await k.get('VirtualService', ns, 'good-before')) && (await k.get('VirtualService', ns, 'good-after'))
        ? true
        : undefined,
    );
    const events = await k.client.request<{ items: { reason: string; involvedObject: { name: string } }[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/events`,
    });
    assert.equal(
      events.body.items.filter((e) => e.reason === 'InvalidSpec' && e.involvedObject.name === 'bad').length,
      1,
    );
    // Fixing the spec brings the route.
    await k.apply('ExposedAPI', exposedApiObject(ns, 'bad'));
    await until('fixed API routed', () => k.get('VirtualService', ns, 'bad'));
  });

  it('gives overlapping paths to the oldest API and serves the loser when the winner goes', async (t) => {
    const ns = await cluster.newNamespace('conflict', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    await k.apply('ExposedAPI', exposedApiObject(ns, 'first', { path: '/shop' }));
    await until('first routed', () => k.get('VirtualService', ns, 'first'));
    await k.apply('ExposedAPI', exposedApiObject(ns, 'second', { path: '/shop/cart' }));
    await k.apply('ExposedAPI', exposedApiObject(ns, 'unrelated', { path: '/shopping' }));
    const loser = await until('PathConflict', async () => {
      const o = await k.get('ExposedAPI', ns, 'second');
      return readyReason(o) === 'PathConflict' ? o : undefined;
    });
    assert.match(statusOf(loser).conditions?.[0]?.message ?? '', new RegExp(`${ns}/first`));
    assert.equal(await k.get('VirtualService', ns, 'second'), undefined);
    await until('/shopping does not conflict with /shop', () => k.get('VirtualService', ns, 'unrelated'));
    await k.delete('ExposedAPI', ns, 'first');
    await until('loser served after the winner left', () => k.get('VirtualService', ns, 'second'));
    await until('loser condition cleared', async () =>
      readyReason(await k.get('ExposedAPI', ns, 'second')) !== 'PathConflict' ? true : undefined,
    );
  });

  it('serves legacy API objects and ExposedAPIs written in every version', async (t) => {
    const ns = await cluster.newNamespace('versions', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    await k.apply('API', {
      apiVersion: 'oda.tmforum.org/v1alpha4',
      kind: 'API',
      metadata: { name: 'legacy', namespace: ns },
      spec: {
        name: 'legacy',
        specification: 'https://example.org/l.json',
        implementation: 'legacy-svc',
        apitype: 'openapi',
        path: '/legacy/v4',
        developerUI: '/legacy/v4/docs',
        port: 8080,
      },
    });
    await k.apply(
      'ExposedAPIv1beta3',
      exposedApiObject(ns, 'beta3', { specification: ['https://example.org/b3.json'] }, 'v1beta3'),
    );
    await k.apply(
      'ExposedAPIv1beta4',
      exposedApiObject(
        ns,
        'beta4',
        { specification: [{ url: 'https://example.org/b4.json', version: '4' }] },
        'v1beta4',
      ),
    );
    for (const name of ['legacy', 'beta3', 'beta4'])
      await until(`route of ${name}`, () => k.get('VirtualService', ns, name));
    const legacy = await until('legacy status', async () => {
      const o = await k.get('API', ns, 'legacy');
      return statusOf(o).apiStatus?.url ? o : undefined;
    });
    assert.equal(statusOf(legacy).apiStatus?.developerUI, 'https://192.0.2.1/legacy/v4/docs');
    const vs = await k.get('VirtualService', ns, 'legacy');
    assert.equal(vs?.metadata.ownerReferences?.[0]?.kind, 'API');
  });

  it('copies url, developerUI and readiness into the owning Component', async (t) => {
    const ns = await cluster.newNamespace('component', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    await implementation(k, ns, 'catalog-svc', true);
    const component = await k.apply('Component', {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'Component',
      metadata: { name: 'r1-test', namespace: ns },
      spec: {},
    });
    const api = exposedApiObject(ns, 'catalog', { developerUI: '/r1-test/docs' });
    api.metadata.ownerReferences = [
      {
        apiVersion: 'oda.tmforum.org/v1',
        kind: 'Component',
        name: 'r1-test',
        uid: component.metadata.uid ?? '',
        controller: true,
      },
    ];
    const created = await k.apply('ExposedAPI', api);
    const status = {
      coreAPIs: [{ name: 'other', uid: 'not-this-one' }],
      managementAPIs: [],
      securityAPIs: [{ name: 'catalog', uid: created.metadata.uid }],
    };
    await k
      .patch('Component', ns, 'r1-test', { status }, (await cluster.crdVariant()) === 'project' ? 'status' : undefined)
      .catch(() => k.patch('Component', ns, 'r1-test', { status }));
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    const entry = await until('the Component entry', async () => {
      const c = await k.get('Component', ns, 'r1-test');
      const e = (c?.status as { securityAPIs?: { url?: string; ready?: boolean; developerUI?: string }[] } | undefined)
        ?.securityAPIs?.[0];
      return e?.ready === true ? e : undefined;
    });
    assert.equal(entry.url, 'https://192.0.2.1/r1-test/tmf-api/catalog/v4');
    assert.equal(entry.developerUI, 'https://192.0.2.1/r1-test/docs');
    const other = ((await k.get('Component', ns, 'r1-test'))?.status as { coreAPIs: Record<string, unknown>[] })
      .coreAPIs[0];
    assert.deepEqual(other, { name: 'other', uid: 'not-this-one' }, 'other entries untouched');
  });

  it('after a restart applies what changed while it was down and prunes orphans', async (t) => {
    const ns = await cluster.newNamespace('restart', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    let op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    for (const name of ['keep', 'change', 'remove']) await k.apply('ExposedAPI', exposedApiObject(ns, name));
    for (const name of ['keep', 'change', 'remove'])
      await until(`route ${name}`, () => k.get('VirtualService', ns, name));
    await op.stop();
    await k.apply('ExposedAPI', exposedApiObject(ns, 'change', { path: '/changed/v5' }));
    await k.apply('ExposedAPI', exposedApiObject(ns, 'added'));
    // An orphan: the API is removed with its owner reference stripped from the route first.
    await k.patch('VirtualService', ns, 'remove', { metadata: { ownerReferences: null } });
    await k.delete('ExposedAPI', ns, 'remove');
    op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    await until('the change applied', async () => {
      const vs = await k.get('VirtualService', ns, 'change');
      return JSON.stringify(vs?.spec).includes('/changed/v5') ? true : undefined;
    });
    await until('the new API routed', () => k.get('VirtualService', ns, 'added'));
    await until('the orphan pruned', () => gone(k.get('VirtualService', ns, 'remove')));
    assert.ok(await k.get('VirtualService', ns, 'keep'));
  });

  it('is silent in steady state and ignores namespaces it does not watch', async (t) => {
    const ns = await cluster.newNamespace('steady', t);
    const other = await cluster.newNamespace('unwatched', t);
    await gateway(k, ns, { ip: '192.0.2.1' });
    await implementation(k, ns, 'a-svc', true);
    const op = await startOperator(cluster.kubeConfig(), { namespace: ns });
    t.after(() => op.stop());
    for (const name of ['a', 'b', 'c'])
      await k.apply('ExposedAPI', exposedApiObject(ns, name, { implementation: 'a-svc' }));
    await k.apply('ExposedAPI', exposedApiObject(other, 'outside'));
    await until('all ready', async () => {
      const items = await Promise.all(['a', 'b', 'c'].map((n) => k.get('ExposedAPI', ns, n)));
      return items.every((o) => readyReason(o) === 'Ready') ? true : undefined;
    });
    await until('queue idle', () => Promise.resolve(op.idle() ? true : undefined));
    // A change the routes do not depend on (an annotation): looked at again, nothing written.
    const quiet = op.writes();
    const seen = op.outcomes.length;
    await k.patch('ExposedAPI', ns, 'a', { metadata: { annotations: { note: 'irrelevant' } } });
    await until('the API looked at again', () =>
      Promise.resolve(op.outcomes.length > seen && op.idle() ? true : undefined),
    );
    assert.equal(op.writes(), quiet, 'steady state: no write');
    // A label change is copied to the route: exactly that apply (and its Event) is written.
    await k.patch('ExposedAPI', ns, 'a', { metadata: { labels: { touched: 'yes' } } });
    await until('the label copied', async () =>
      (await k.get('VirtualService', ns, 'a'))?.metadata.labels?.touched === 'yes' ? true : undefined,
    );
    await until('queue idle again', () => Promise.resolve(op.idle() ? true : undefined));
    assert.ok(op.writes() - quiet <= 2, `apply + Event only, got ${op.writes() - quiet}`);
    assert.equal(await k.get('VirtualService', other, 'outside'), undefined);
  });
});
