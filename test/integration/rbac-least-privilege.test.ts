import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { bootstrap } from '../../core/composition/bootstrap.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { serverSideApply } from '../../core/kube/kube-writes.ts';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import type { ResourceType } from '../../core/kube/resource-type.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import { OperatorMetrics } from '../../core/observability/metrics.ts';
import { Manager } from '../../core/operator/manager.ts';
import { connectTestCluster, waitFor } from '../cluster/index.ts';
import { StopWaiting } from '../cluster/wait-for.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';
import { exposedApiObject, gateway, implementation, readyReason, statusOf } from '../support/oda-fixtures.ts';
import { GATEWAY_LABEL } from '../support/operator-harness.ts';
import { recordingClient } from '../support/recording-client.ts';
import type { RbacCall } from '../support/recording-client.ts';
import { listedByStreaming } from '../support/rbac-usage.ts';

/**
 * Runs the operator as its own ServiceAccount with exactly the RBAC in config/rbac, through a
 * scenario that exercises every kind of write it makes, and fails on any 403 and on any
 * permission granted but never used.
 */
const cluster = connectTestCluster();
const k = new KubeTestClient(cluster.kubeConfig());
after(() => {
  k.close();
});

const RBAC_DIR = join(import.meta.dirname, '..', '..', 'config', 'rbac');
const RBAC_TYPES: Record<string, ResourceType> = {
  ServiceAccount: { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  ClusterRole: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
  },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  RoleBinding: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  },
};

/** Granted but legitimately unused in this scenario, and why. */
const NOT_EXERCISED: Record<string, string> = {
  'oda.tmforum.org/exposedapis patch':
    'status through the main resource: only with the upstream CRD (no status subresource)',
  'oda.tmforum.org/components/status patch': 'only for a Component CRD with a status subresource (ours has none)',
};

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The manifests of config/rbac for `driver`, placed in `namespace`. */
function rbacObjects(driver: string, namespace: string): KubeRawObject[] {
  const files = [
    'service-account.yaml',
    'cluster-role-core.yaml',
    `cluster-role-${driver}.yaml`,
    'leader-election-role.yaml',
    'cluster-role-bindings.yaml',
  ];
  const text = files
    .map((f) =>
      readFileSync(join(RBAC_DIR, f), 'utf8').replaceAll('namespace: oda-api-operator', `namespace: ${namespace}`),
    )
    .join('\n---\n');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeRawObject | null)
    .filter((o): o is KubeRawObject => o !== null)
    .map((o) => {
      if (o.kind !== 'ClusterRoleBinding') return o;
      // Bindings are cluster-wide and their roleRef immutable: one pair per driver in this cluster.
      const metadata = { ...o.metadata, name: `${o.metadata.name}-${driver}` };
      if (o.metadata.name !== 'oda-api-operator-driver') return { ...o, metadata };
      const roleRef = {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `oda-api-operator-${driver}`,
      };
      return { ...o, metadata, roleRef };
    });
}

function granted(objects: KubeRawObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'ClusterRole' || x.kind === 'Role')) {
    for (const rule of o.rules as Rule[]) {
      for (const g of rule.apiGroups)
        for (const r of rule.resources) for (const v of rule.verbs) out.add(`${g}/${r} ${v}`);
    }
  }
  return out;
}

describe('least privilege', () => {
  for (const driver of ['istio', 'simple-ingress'] as const)
    it(`runs the ${driver} driver under config/rbac with no 403 and no unused permission`, async (t) => {
      const calls: RbacCall[] = [];
      const until = <T>(description: string, probe: () => Promise<T | undefined>): Promise<T> =>
        waitFor(
          async () => {
            const forbidden = calls.filter((c) => c.status === 403);
            if (forbidden.length > 0) throw new StopWaiting(`forbidden: ${JSON.stringify(forbidden)}`);
            return probe();
          },
          { timeoutMs: 20_000, description },
        );
      const routeKind = driver === 'istio' ? 'VirtualService' : 'Ingress';
      const address = async (name: string): Promise<void> => {
        if (driver === 'istio') return;
        await until(`Ingress ${name}`, () => k.get('Ingress', ns, name));
        await k.patch('Ingress', ns, name, { status: { loadBalancer: { ingress: [{ ip: '192.0.2.9' }] } } }, 'status');
      };
      const opNs = await cluster.newNamespace('operator', t);
      const ns = await cluster.newNamespace('rbac-apps', t);
      const objects = rbacObjects(driver, opNs);
      for (const o of objects) {
        const rt = RBAC_TYPES[o.kind ?? ''];
        assert.ok(rt, `unexpected kind ${o.kind ?? ''} in config/rbac`);
        await serverSideApply(k.client, rt, o, { fieldManager: 'integration-test', force: true });
      }
      for (const rule of objects.flatMap((o) => (o.rules as Rule[] | undefined) ?? [])) {
        assert.ok(
          !rule.verbs.includes('*') && !rule.resources.includes('*') && !rule.apiGroups.includes('*'),
          'no wildcards',
        );
        assert.ok(!rule.resources.includes('secrets') && !rule.resources.includes('pods'), 'no secrets, no pods');
      }

      // The world the operator will act on.
      await gateway(k, ns, { ip: '192.0.2.9' });
      await implementation(k, ns, 'catalog-svc', true);
      const component = await k.apply('Component', {
        apiVersion: 'oda.tmforum.org/v1',
        kind: 'Component',
        metadata: { name: 'r1-test', namespace: ns },
        spec: {},
      });
      const owned = exposedApiObject(ns, 'catalog');
      owned.metadata.ownerReferences = [
        {
          apiVersion: 'oda.tmforum.org/v1',
          kind: 'Component',
          name: 'r1-test',
          uid: component.metadata.uid ?? '',
          controller: true,
        },
      ];
      const catalog = await k.apply('ExposedAPI', owned);
      await k.patch('Component', ns, 'r1-test', {
        status: { coreAPIs: [{ name: 'catalog', uid: catalog.metadata.uid }] },
      });
      await k.apply('ExposedAPI', exposedApiObject(ns, 'metrics', { apiType: 'prometheus', path: '/r1-test/metrics' }));
      await k.apply('API', {
        apiVersion: 'oda.tmforum.org/v1alpha4',
        kind: 'API',
        metadata: { name: 'legacy', namespace: ns },
        spec: { name: 'legacy', implementation: 'legacy-svc', apitype: 'openapi', path: '/legacy', port: 80 },
      });

      const kubeconfig = await cluster.mintServiceAccountKubeconfig(opNs, 'oda-api-operator');
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      const inner = createKubeClient(kc, { userAgent: 'oda-api-operator-rbac-test' });
      const { settings, active } = await bootstrap({
        flags: {
          driver,
          namespaces: ns,
          gatewaySelector: `${GATEWAY_LABEL}=${ns}`,
          leaderElectionNamespace: opNs,
          httpPort: '0',
          retryPeriodSeconds: '1',
          renewDeadlineSeconds: '3',
          leaseDurationSeconds: '5',
        },
        env: {},
        readFile: () => '',
      });
      const manager = new Manager({
        client: recordingClient(inner, calls),
        settings,
        active,
        logger: silentLogger,
        metrics: new OperatorMetrics({ processMetrics: false }),
        identity: 'rbac-test',
        defaultNamespace: opNs,
      });
      let stopped = false;
      t.after(async () => {
        if (!stopped) await manager.stop();
        inner.close();
      });
      await manager.start();
      await address('catalog');
      await address('legacy');

      await until('catalog Ready', async () =>
        readyReason(await k.get('ExposedAPI', ns, 'catalog')) === 'ImplementationNotReady' ||
        readyReason(await k.get('ExposedAPI', ns, 'catalog')) === 'Ready'
          ? true
          : undefined,
      );
      await until('component entry propagated', async () => {
        const c = await k.get('Component', ns, 'r1-test');
        return (c?.status as { coreAPIs?: { url?: string }[] } | undefined)?.coreAPIs?.[0]?.url ? true : undefined;
      });
      await until('ServiceMonitor', () => k.get('ServiceMonitor', ns, 'metrics'));
      await until('legacy status', async () =>
        statusOf(await k.get('API', ns, 'legacy')).apiStatus?.url ? true : undefined,
      );
      // Changes that make it patch, then delete, outputs.
      await k.apply(
        'ExposedAPI',
        exposedApiObject(ns, 'metrics', { apiType: 'prometheus', path: '/r1-test/metrics', port: 9090 }),
      );
      await until('ServiceMonitor patched', async () =>
        JSON.stringify((await k.get('ServiceMonitor', ns, 'metrics'))?.spec).includes('9090') ? true : undefined,
      );
      await k.apply(
        'ExposedAPI',
        exposedApiObject(ns, 'metrics', { apiType: 'openapi', path: '/r1-test/metrics', port: 9090 }),
      );
      await until('ServiceMonitor pruned', async () =>
        (await k.get('ServiceMonitor', ns, 'metrics')) === undefined ? true : undefined,
      );
      await k.apply('ExposedAPI', exposedApiObject(ns, 'metrics', { path: '/r1-test/a%2Fb' }));
      await until('route of the invalid API pruned', async () =>
        (await k.get(routeKind, ns, 'metrics')) === undefined ? true : undefined,
      );
      stopped = true;
      await manager.stop();

      const forbidden = calls.filter((c) => c.status === 403);
      assert.deepEqual(forbidden, [], 'no call was forbidden');
      const used = new Set(
        calls
          .filter((c) => c.status < 400 || c.status === 404 || c.status === 409)
          .map((c) => `${c.group}/${c.resource} ${c.verb}`),
      );
      const unused = [...granted(objects)]
        .filter((g) => !used.has(g) && NOT_EXERCISED[g] === undefined && !listedByStreaming(g, used))
        .sort();
      assert.deepEqual(unused, [], 'every granted permission is used');
      const ungranted = [...used].filter((u) => !granted(objects).has(u)).sort();
      assert.deepEqual(ungranted, [], 'nothing used that is not granted');
    });
});
