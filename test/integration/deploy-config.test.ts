/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node v2 models are data-only classes and its API takes object literals (its documented use). */
/**
 * The plain manifests of config/ (CRDs, RBAC, the operator's namespace, settings and Deployment),
 * in the order the README applies them, server-side dry-run applied to the test API server with
 * strict field validation; and their cross-references (ServiceAccount, namespace, image tag,
 * settings names) checked.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { connectTestCluster, statusCodeOf } from '../cluster/index.ts';
import { ResourcePaths, readManifest, type ManifestObject } from '../cluster/apply-manifests.ts';
import { rawRequest } from '../cluster/raw-request.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OPERATOR_NAMESPACE = 'oda-api-operator';
const cluster = connectTestCluster();
const admin = cluster.kubeConfig();
const core = admin.makeApiClient(CoreV1Api);
let createdNamespace = false;

async function manifests(dir: string): Promise<ManifestObject[]> {
  const files = readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return (await Promise.all(files.map((f) => readManifest(join(ROOT, dir, f))))).flat();
}

before(async () => {
  // A dry run of a namespaced object needs its namespace to exist for real.
  try {
    await core.readNamespace({ name: OPERATOR_NAMESPACE });
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
    await core.createNamespace({ body: { metadata: { name: OPERATOR_NAMESPACE } } });
    createdNamespace = true;
  }
});

after(async () => {
  if (createdNamespace) await core.deleteNamespace({ name: OPERATOR_NAMESPACE }).catch(() => undefined);
});

describe('plain manifests in config/', { timeout: 120_000 }, () => {
  it('are all accepted by the API server: crd, deploy/namespace, rbac, deploy', async () => {
    const objects = [
      ...(await manifests('config/crd')),
      ...(await readManifest(join(ROOT, 'config', 'deploy', 'namespace.yaml'))),
      ...(await manifests('config/rbac')),
      ...(await manifests('config/deploy')).filter((o) => o.kind !== 'Namespace'),
    ];
    assert.ok(objects.some((o) => o.kind === 'Deployment'));
    const paths = new ResourcePaths(admin);
    const failures: string[] = [];
    for (const object of objects) {
      const label = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      try {
        const query = '?dryRun=All&fieldValidation=Strict&fieldManager=oda-deploy-test&force=true';
        const response = await rawRequest(admin, 'PATCH', (await paths.pathOf(object)) + query, {
          contentType: 'application/apply-patch+yaml',
          value: object,
        });
        if (response.status < 200 || response.status >= 300)
          failures.push(`${label}: HTTP ${String(response.status)} ${response.body.slice(0, 300)}`);
      } catch (error) {
        failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    assert.deepEqual(failures, [], `objects refused by the API server:\n${failures.join('\n')}`);
  });

  it('fit together: ServiceAccount, namespace, settings ConfigMap, image of the package version', async () => {
    const deploy = await manifests('config/deploy');
    const rbac = await manifests('config/rbac');
    const deployment = deploy.find((o) => o.kind === 'Deployment');
    assert.ok(deployment);
    for (const object of [...deploy, ...rbac].filter((o) => o.kind !== 'Namespace' && !o.kind.startsWith('Cluster')))
      assert.equal(object.metadata.namespace, OPERATOR_NAMESPACE, `${object.kind} ${object.metadata.name}`);
    const serviceAccount = rbac.find((o) => o.kind === 'ServiceAccount');
    const pod = (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    assert.equal(pod.serviceAccountName, serviceAccount?.metadata.name);
    const [container] = pod.containers as { image: string; envFrom: { configMapRef: { name: string } }[] }[];
    assert.equal(container?.image, `oda-api-operator:${packageVersion()}`);
    const settings = deploy.find((o) => o.kind === 'ConfigMap');
    assert.equal(container.envFrom[0]?.configMapRef.name, settings?.metadata.name);
    for (const binding of rbac.filter((o) => o.kind.endsWith('Binding'))) {
      for (const subject of binding.subjects as { name: string; namespace: string }[])
        assert.deepEqual([subject.name, subject.namespace], [serviceAccount?.metadata.name, OPERATOR_NAMESPACE]);
    }
  });

  it('holds settings the operator accepts', async () => {
    const settings = (await manifests('config/deploy')).find((o) => o.kind === 'ConfigMap');
    assert.ok(settings);
    const env = { PATH: process.env.PATH ?? '', ...(settings.data as Record<string, string>) };
    const child = spawn(process.execPath, [join(ROOT, 'core', 'cli', 'main.ts'), 'render', '-f', '-'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.stdin.end('');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `the operator refuses config/deploy settings: ${stderr.trim()}`);
  });
});

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
