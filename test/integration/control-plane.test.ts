/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node v2 models are data-only classes and its API takes object literals (its documented use). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api, VersionApi } from '@kubernetes/client-node';
import { connectTestCluster, startCluster, statusCodeOf, waitFor, type RunningCluster } from '../cluster/index.ts';
import { rawRequest } from '../cluster/raw-request.ts';
import { exposedApi, exposedApiStatusSubresource, specificationShapes } from './control-plane-fixtures.ts';

const cluster = connectTestCluster();
const admin = cluster.kubeConfig();
const core = admin.makeApiClient(CoreV1Api);
const custom = admin.makeApiClient(CustomObjectsApi);
const oda = { group: 'oda.tmforum.org', plural: 'exposedapis' };

describe('test control plane', { timeout: 120_000 }, () => {
  it('answers /readyz', async () => {
    const response = await rawRequest(admin, 'GET', '/readyz');
    assert.equal(response.status, 200);
    assert.equal(response.body, 'ok');
  });

  it('runs Kubernetes v1.37.2', async () => {
    const version = await admin.makeApiClient(VersionApi).getCode();
    assert.match(version.gitVersion, /^v1\.37\.2\b/);
    assert.equal(version.major, '1');
    assert.equal(version.minor, '37');
  });

  it('enforces RBAC: a ServiceAccount gets 403 until a Role grants it access', async (t) => {
    const namespace = await cluster.newNamespace('rbac', t);
    const sa = new KubeConfig();
    sa.loadFromFile(await cluster.mintServiceAccountKubeconfig(namespace, 'probe'));
    const listAsSa = () => sa.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace });
    await assert.rejects(listAsSa(), (error) => statusCodeOf(error) === 403);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'read-configmaps' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'probe-reads-configmaps' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
        subjects: [{ kind: 'ServiceAccount', name: 'probe', namespace }],
      },
    });
    const list = await waitFor(listAsSa, { description: 'the RoleBinding to take effect', timeoutMs: 10_000 });
    assert.ok(Array.isArray(list.items));
    await assert.rejects(
      sa.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace }),
      (error) => statusCodeOf(error) === 403,
    );
  });

  it('serves the ODA, Istio, Gateway API and ServiceMonitor resources', async () => {
    const expected: Record<string, string[]> = {
      'oda.tmforum.org/v1': ['exposedapis', 'components'],
      'oda.tmforum.org/v1beta4': ['exposedapis', 'apis'],
      'oda.tmforum.org/v1beta3': ['exposedapis', 'apis'],
      'oda.tmforum.org/v1alpha4': ['apis'],
      'networking.istio.io/v1': ['virtualservices', 'gateways', 'destinationrules'],
      'security.istio.io/v1': ['authorizationpolicies', 'requestauthentications'],
      'gateway.networking.k8s.io/v1': ['gateways', 'gatewayclasses', 'httproutes', 'grpcroutes'],
      'monitoring.coreos.com/v1': ['servicemonitors'],
    };
    for (const [groupVersion, plurals] of Object.entries(expected)) {
      const [group = '', version = ''] = groupVersion.split('/');
      const served = (await custom.getAPIResources({ group, version })).resources.map((resource) => resource.name);
      for (const plural of plurals)
        assert.ok(served.includes(plural), `${groupVersion} serves ${plural} (has ${served.join(', ')})`);
    }
  });

  it('accepts an ExposedAPI in every version with every specification shape', async (t) => {
    const namespace = await cluster.newNamespace('exposedapi-shapes', t);
    for (const version of ['v1beta3', 'v1beta4', 'v1']) {
      for (const [shape, specification] of Object.entries(specificationShapes)) {
        const name = `${version}-${shape}`.toLowerCase();
        await custom.createNamespacedCustomObject({
          ...oda,
          version,
          namespace,
          body: exposedApi(version, name, { specification }),
        });
        const stored = (await custom.getNamespacedCustomObject({ ...oda, version, namespace, name })) as {
          spec: Record<string, unknown>;
        };
        assert.deepEqual(stored.spec.specification, specification, `${name} keeps its specification as written`);
        assert.equal(stored.spec.hostname, 'components.example.org', `${name} keeps fields outside the schema`);
      }
    }
  });

  it('rejects an ExposedAPI without a required field', async (t) => {
    const namespace = await cluster.newNamespace('exposedapi-required', t);
    const body = exposedApi('v1', 'no-port', {});
    delete (body.spec as Record<string, unknown>).port;
    await assert.rejects(
      custom.createNamespacedCustomObject({ ...oda, version: 'v1', namespace, body }),
      (error) => statusCodeOf(error) === 422,
    );
  });

  it('accepts the legacy API kind in its old and new versions', async (t) => {
    const namespace = await cluster.newNamespace('legacy-api', t);
    for (const version of ['v1alpha1', 'v1alpha4', 'v1beta4']) {
      const body = {
        apiVersion: `oda.tmforum.org/${version}`,
        kind: 'API',
        metadata: { name: `legacy-${version}` },
        spec: {
          name: 'catalog',
          apitype: 'openapi',
          specification: 'https://example.org/oas.json',
          implementation: 'svc',
          path: '/x',
          port: 8080,
        },
      };
      await custom.createNamespacedCustomObject({ group: oda.group, version, namespace, plural: 'apis', body });
    }
    const list = (await custom.listNamespacedCustomObject({
      group: oda.group,
      version: 'v1alpha4',
      namespace,
      plural: 'apis',
    })) as { items: unknown[] };
    assert.equal(list.items.length, 3);
  });

  it('garbage-collects a ConfigMap owned by an ExposedAPI once the owner is deleted', async (t) => {
    const namespace = await cluster.newNamespace('gc', t);
    const owner = (await custom.createNamespacedCustomObject({
      ...oda,
      version: 'v1',
      namespace,
      body: exposedApi('v1', 'owner', {}),
    })) as {
      metadata: { uid: string };
    };
    const ownerReference = {
      apiVersion: 'oda.tmforum.org/v1',
      kind: 'ExposedAPI',
      name: 'owner',
      uid: owner.metadata.uid,
      controller: true,
    };
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'owned', ownerReferences: [ownerReference] } },
    });
    await custom.deleteNamespacedCustomObject({ ...oda, version: 'v1', namespace, name: 'owner' });
    await waitFor(
      async () => {
        try {
          await core.readNamespacedConfigMap({ namespace, name: 'owned' });
          return undefined;
        } catch (error) {
          if (statusCodeOf(error) === 404) return true;
          throw error;
        }
      },
      { description: 'the garbage collector to delete the owned ConfigMap', timeoutMs: 60_000, intervalMs: 200 },
    );
  });

  it('has the status subresource in the project CRD variant', async (t) => {
    assert.equal(await cluster.crdVariant(), 'project', 'the test runner installs the project variant');
    await exposedApiStatusSubresource.assertPresent(admin, await cluster.newNamespace('status-project', t));
  });
});

describe('a second control plane with the upstream ExposedAPI CRD', { timeout: 120_000 }, () => {
  let upstream: RunningCluster;
  before(async () => {
    // A second, short-lived control plane: switching the CRD of the shared one would disturb
    // other test files running against it at the same time.
    upstream = await startCluster({
      crdVariant: 'upstream',
      provider: process.env.TEST_CLUSTER === 'k3s' ? 'k3s' : 'local',
    });
  });
  after(() => upstream.stop());

  it('has no status subresource: status is written through the main resource', async () => {
    const kc = upstream.kubeConfig();
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'status-upstream' } } });
    await exposedApiStatusSubresource.assertAbsent(kc, 'status-upstream');
  });

  it('stops without leaving files or a listening server behind', async () => {
    const kc = upstream.kubeConfig();
    const scratch = dirname(upstream.kubeconfigPath);
    await upstream.stop();
    assert.equal(existsSync(scratch), false, `${scratch} is deleted`);
    await assert.rejects(rawRequest(kc, 'GET', '/readyz'), /ECONNREFUSED/);
  });
});
