import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { bootstrap } from '../../core/composition/bootstrap.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import type { ResourceType } from '../../core/kube/resource-type.ts';
import { serverSideApply } from '../../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import { Operator } from '../../core/operator/operator.ts';
import { KitClient } from '../../core/sdk/testkit/live-client.ts';
import { observed } from '../../core/sdk/testkit/live-steps.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, implementation, readyReason } from '../support/oda-fixtures.ts';
import { recordingClient } from '../support/recording-client.ts';
import type { RbacCall } from '../support/recording-client.ts';
import { HTTP_ROUTE, acceptRoute, createGateway, publishGatewayAddress } from './gateway-api-fixtures.ts';
import { listedByStreaming } from '../support/rbac-usage.ts';

/**
 * The gateway-api driver as its own ServiceAccount with only config/rbac's core and gateway-api
 * ClusterRoles: no call is forbidden, and every permission of the driver's role is used.
 */
const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
const kit = new KitClient(cluster.kubeconfigPath);
after(() => {
  k.close();
  kit.close();
});

const RBAC = join(import.meta.dirname, '..', '..', 'config', 'rbac');
const rbacType = (kind: string, plural: string, namespaced: boolean): ResourceType => ({
  group: kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io',
  version: 'v1',
  plural,
  kind,
  namespaced,
});
const TYPES: Record<string, ResourceType> = {
  ServiceAccount: rbacType('ServiceAccount', 'serviceaccounts', true),
  ClusterRole: rbacType('ClusterRole', 'clusterroles', false),
  ClusterRoleBinding: rbacType('ClusterRoleBinding', 'clusterrolebindings', false),
};

function manifests(namespace: string): KubeRawObject[] {
  const text = ['service-account.yaml', 'cluster-role-core.yaml', 'cluster-role-gateway-api.yaml']
    .map((f) =>
      readFileSync(join(RBAC, f), 'utf8').replaceAll('namespace: oda-api-operator', `namespace: ${namespace}`),
    )
    .join('\n---\n');
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS() as KubeRawObject | null)
    .filter((o): o is KubeRawObject => o !== null);
  const binding = (role: string): KubeRawObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${role}-${namespace}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: 'oda-api-operator', namespace }],
  });
  return [...objects, binding('oda-api-operator-core'), binding('oda-api-operator-gateway-api')];
}

describe('gateway-api driver under config/rbac', () => {
  it('runs with no 403 and uses every permission of its ClusterRole', async (t) => {
    const opNs = await cluster.newNamespace('gw-operator', t);
    const ns = await cluster.newNamespace('gw-rbac', t);
    for (const o of manifests(opNs)) {
      const rt = TYPES[o.kind ?? ''];
      assert.ok(rt, `unexpected kind ${o.kind ?? ''}`);
      await serverSideApply(k.client, rt, o, { fieldManager: 'integration-test', force: true });
    }
    t.after(async () => {
      for (const role of ['oda-api-operator-core', 'oda-api-operator-gateway-api']) {
        await k.client
          .request({ method: 'DELETE', path: `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${role}-${opNs}` })
          .catch(() => undefined);
      }
    });
    await createGateway(kit, ns, 'gw');
    await publishGatewayAddress(kit, ns, 'gw', '192.0.2.30');
    await implementation(k, ns, 'catalog-svc', true);
    await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog'));
    await k.apply('ExposedAPI', exposedApiObject(ns, 'metrics', { apiType: 'prometheus', path: '/r1-test/metrics' }));

    const kc = new KubeConfig();
    kc.loadFromFile(await cluster.mintServiceAccountKubeconfig(opNs, 'oda-api-operator'));
    const inner = createKubeClient(kc, { userAgent: 'oda-api-operator-rbac-test' });
    const calls: RbacCall[] = [];
    const { settings, active } = await bootstrap({
      flags: { driver: 'gateway-api', namespaces: ns, gatewayApiParent: `${ns}/gw` },
      env: {},
      readFile: () => '',
    });
    const operator = new Operator({ client: recordingClient(inner, calls), settings, active, logger: silentLogger });
    t.after(async () => {
      await operator.stop(5000);
      inner.close();
    });
    await operator.start();
    operator.lead();
    const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
      waitFor(probe, { timeoutMs: 20_000, description: what });

    const route = await until('the HTTPRoute', () => kit.get(HTTP_ROUTE, ns, 'catalog'));
    await acceptRoute(kit, observed(route), { namespace: ns, name: 'gw' });
    await until('catalog Ready', async () =>
      readyReason(await k.get('ExposedAPI', ns, 'catalog')) === 'Ready' ? true : undefined,
    );
    await until('the ServiceMonitor', () => k.get('ServiceMonitor', ns, 'metrics'));
    await k.apply('ExposedAPI', exposedApiObject(ns, 'metrics', { path: '/r1-test/metrics', port: 9090 }));
    await until('the ServiceMonitor pruned', async () =>
      (await k.get('ServiceMonitor', ns, 'metrics')) === undefined ? true : undefined,
    );

    await k.apply('ExposedAPI', exposedApiObject(ns, 'catalog', { path: '/r1-test/a%2Fb' }));
    await until('the HTTPRoute of the now invalid API pruned', async () =>
      (await kit.get(HTTP_ROUTE, ns, 'catalog')) === undefined ? true : undefined,
    );

    assert.deepEqual(
      calls.filter((c) => c.status === 403),
      [],
      'no call was forbidden',
    );
    const used = new Set(
      calls.filter((c) => c.status < 400 || c.status === 404).map((c) => `${c.group}/${c.resource} ${c.verb}`),
    );
    const role = parseAllDocuments(readFileSync(join(RBAC, 'cluster-role-gateway-api.yaml'), 'utf8'))[0]?.toJS() as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const granted = role.rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`))),
    );
    assert.deepEqual(
      granted.filter((g) => !used.has(g) && !listedByStreaming(g, used)),
      [],
      'every permission of the gateway-api role is used',
    );
  });
});
