import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeApi } from '../../core/model/normalize.ts';
import type { ApiModel } from '../../core/sdk/api-model.ts';
import { istioDriver } from '../../drivers/istio/index.ts';
import { simpleIngressDriver } from '../../drivers/simple-ingress/index.ts';
import { ownerReferenceTo, translateApi } from '../../core/translate/translate-api.ts';
import { exposedApi } from '../support/api-fixtures.ts';

function model(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): ApiModel {
  const result = normalizeApi(exposedApi(spec, meta));
  assert.ok(result.ok);
  return result.api;
}

const istio = {
  driver: istioDriver,
  settings: istioDriver.parseSettings({
    componentGateway: 'component-gateway',
    gatewaySelector: 'istio=ingressgateway',
  }),
};
const ingress = { driver: simpleIngressDriver, settings: simpleIngressDriver.parseSettings({ ingressClass: 'nginx' }) };
const noOptionalKinds = { availableKinds: new Set<string>() };
const all = { availableKinds: new Set(['monitoring.coreos.com/v1/ServiceMonitor']) };

describe('translation', () => {
  it('owns outputs by reference to the API object in live mode', () => {
    const api = model({}, { uid: '1234' });
    const owner = ownerReferenceTo(api);
    assert.deepEqual(owner, {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      name: 'r1-catalog-tmf620',
      uid: '1234',
      controller: true,
      blockOwnerDeletion: true,
    });
    for (const active of [istio, ingress]) {
      const out = translateApi(active, api, all, owner);
      assert.deepEqual(out.objects[0]?.metadata.ownerReferences, [owner]);
    }
    assert.equal(ownerReferenceTo(model()), undefined, 'no uid, no owner (render mode)');
  });

  it('marks outputs with ownership labels and source annotation', () => {
    const out = translateApi(istio, model({}, { labels: { 'oda.tmforum.org/componentName': 'r1' } }), all);
    assert.deepEqual(out.objects[0]?.metadata.labels, {
      'oda.tmforum.org/componentName': 'r1',
      'app.kubernetes.io/managed-by': 'oda-api-operator',
      'oda-api-operator/driver': 'istio',
    });
    assert.deepEqual(out.objects[0].metadata.annotations, {
      'oda-api-operator/source': 'ExposedAPI/components/r1-catalog-tmf620',
    });
  });

  it('routes a metrics API and reports a missing ServiceMonitor CRD as a condition', () => {
    for (const active of [istio, ingress]) {
      const withCrd = translateApi(active, model({ apiType: 'prometheus' }), all);
      assert.deepEqual(
        withCrd.objects.map((o) => o.kind).sort(),
        [active === istio ? 'VirtualService' : 'Ingress', 'ServiceMonitor'].sort(),
      );
      const without = translateApi(active, model({ apiType: 'prometheus' }), noOptionalKinds);
      assert.equal(without.objects.length, 1);
      assert.deepEqual(
        without.conditions.map((c) => [c.type, c.reason]),
        [['MetricsUnavailable', 'ServiceMonitorCrdMissing']],
      );
    }
  });

  it('is deterministic and does not mutate its input', () => {
    const api = model({ CORS: { enabled: true } });
    const frozen = structuredClone(api);
    for (const active of [istio, ingress]) {
      assert.deepEqual(translateApi(active, api, all), translateApi(active, api, all));
    }
    assert.deepEqual(api, frozen);
  });

  it('claims routes per gateway and host for conflict detection', () => {
    const api = model({ hostname: 'shop.example.org' });
    assert.deepEqual(istioDriver.routeClaim(api, istio.settings), { gateway: 'component-gateway', host: '*' });
    assert.deepEqual(simpleIngressDriver.routeClaim(api, ingress.settings), {
      gateway: 'ingressclass/nginx',
      host: 'shop.example.org',
    });
  });
});
