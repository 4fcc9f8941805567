/**
 * The Helm chart (config/helm/oda-api-operator), rendered by a real `helm` (scripts/helm.sh) with
 * default values, with the values an ODA Canvas passes to its api-operator-istio chart, and per
 * driver; every rendered object is server-side dry-run applied to the test API server with strict
 * field validation, and the settings it renders are checked by the operator's own settings loader.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { VersionApi } from '@kubernetes/client-node';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { connectTestCluster } from '../cluster/index.ts';
import { ResourcePaths, readManifest, type ManifestObject } from '../cluster/apply-manifests.ts';
import { rawRequest } from '../cluster/raw-request.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CHART = join(ROOT, 'config', 'helm', 'oda-api-operator');
const run = promisify(execFile);

const cluster = connectTestCluster();
const admin = cluster.kubeConfig();
const scratch = mkdtempSync(join(tmpdir(), 'oda-helm-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let helm = '';
let kubeVersion = '';
let namespace = '';

/** The values the canvas-oda umbrella chart passes to api-operator-istio, image pointed at ours. */
const canvasValues = {
  enabled: true,
  global: { image: { registry: 'registry.example.com/' }, imagePullSecrets: ['regcred'] },
  deployment: {
    operatrorName: 'api-operator-istio', // sic: the umbrella's spelling, ignored by both charts
    apiopImage: 'tmforumodacanvas/oda-api-operator',
    apiopVersion: '1.1.0',
    apiopPrereleaseSuffix: null,
    imagePullPolicy: 'IfNotPresent',
    istioGateway: true,
    monitoredNamespaces: 'components,odacompns-*',
    ingressClass: { enabled: false, name: 'nginx' },
    openMetricsImplementation: 'ServiceMonitor',
  },
  hostName: 'components.example.com',
  httpsRedirect: true,
  credentialName: 'istio-ingress-cert',
  configmap: {
    loglevel: '20',
    publicHostname: 'components.example.com',
    componentGateway: 'canvas/component-gateway',
  },
  metrics: { serviceMonitor: { enabled: true } },
};

before(async () => {
  helm = await helmBinary();
  kubeVersion = (await admin.makeApiClient(VersionApi).getCode()).gitVersion;
  namespace = await cluster.newNamespace('helm');
});

describe('Helm chart config/helm/oda-api-operator', { timeout: 900_000 }, () => {
  it('passes helm lint --strict, for every driver', async () => {
    for (const driver of ['istio', 'simple-ingress', 'gateway-api']) {
      await run(helm, ['lint', '--strict', CHART, '--set', `driver=${driver}`]);
    }
  });

  it('renders with default values: istio driver, two replicas, the component gateway; all accepted', async () => {
    const objects = await render('oda-api-operator', {});
    assert.deepEqual(kinds(objects), [
      'ClusterRole/oda-api-operator-core',
      'ClusterRole/oda-api-operator-istio',
      'ClusterRoleBinding/oda-api-operator-core',
      'ClusterRoleBinding/oda-api-operator-istio',
      'ConfigMap/oda-api-operator-settings',
      'Deployment/oda-api-operator',
      'Gateway/component-gateway',
      'PodDisruptionBudget/oda-api-operator',
      'Role/oda-api-operator-leader-election',
      'RoleBinding/oda-api-operator-leader-election',
      'Service/oda-api-operator-metrics',
      'ServiceAccount/oda-api-operator',
    ]);
    const deployment = find(objects, 'Deployment');
    const spec = field(deployment, 'spec');
    assert.equal(spec.replicas, 2);
    const pod = field(field(spec, 'template'), 'spec');
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = first(pod.containers);
    assert.equal(container.image, `oda-api-operator:${packageVersion()}`);
    assert.deepEqual(container.args, ['run']);
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal(field(field(container, 'readinessProbe'), 'httpGet').path, '/readyz');
    assert.equal(field(field(container, 'livenessProbe'), 'httpGet').path, '/healthz');
    assert.deepEqual(
      (container.env as { name: string; valueFrom: { fieldRef: { fieldPath: string } } }[]).map((e) => [
        e.name,
        e.valueFrom.fieldRef.fieldPath,
      ]),
      [
        ['POD_NAME', 'metadata.name'],
        ['POD_NAMESPACE', 'metadata.namespace'],
      ],
    );
    assert.deepEqual(settingsOf(objects), {
      ODA_API_OPERATOR_DRIVER: 'istio',
      LOGGING: '20',
      COMPONENT_NAMESPACES: 'components,odacompns-*',
      OPENMETRICS_IMPLEMENTATION: 'ServiceMonitor',
      APIOPERATORISTIO_COMPONENTGATEWAY: `${namespace}/component-gateway`,
      ODA_API_OPERATOR_HTTP_PORT: '8080',
      ODA_API_OPERATOR_LEADER_ELECTION: 'true',
    });
    const gateway = field(find(objects, 'Gateway'), 'spec');
    assert.deepEqual(gateway.selector, { istio: 'ingressgateway' });
    assert.equal(find(objects, 'Gateway').metadata.namespace, namespace);
    assert.equal(bindingRole(objects, 'oda-api-operator-istio'), 'oda-api-operator-istio');
    await assertSettingsAccepted(objects);
    await dryRunApply(objects);
  });

  it('renders with ODA Canvas values (canvas-oda umbrella placement); all accepted', async () => {
    const objects = await render('canvas', canvasValues);
    assert.deepEqual(settingsOf(objects), {
      ODA_API_OPERATOR_DRIVER: 'istio',
      LOGGING: '20',
      COMPONENT_NAMESPACES: 'components,odacompns-*',
      OPENMETRICS_IMPLEMENTATION: 'ServiceMonitor',
      APIOPERATORISTIO_PUBLICHOSTNAME: 'components.example.com',
      APIOPERATORISTIO_COMPONENTGATEWAY: 'canvas/component-gateway',
      ODA_API_OPERATOR_HTTP_PORT: '8080',
      ODA_API_OPERATOR_LEADER_ELECTION: 'true',
    });
    const pod = field(field(field(find(objects, 'Deployment'), 'spec'), 'template'), 'spec');
    assert.equal(first(pod.containers).image, 'registry.example.com/tmforumodacanvas/oda-api-operator:1.1.0');
    assert.equal(first(pod.containers).imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(pod.imagePullSecrets, [{ name: 'regcred' }]);
    const servers = field(find(objects, 'Gateway'), 'spec').servers;
    assert.deepEqual(servers, [
      {
        port: { number: 80, name: 'http', protocol: 'HTTP' },
        hosts: ['components.example.com'],
        tls: { httpsRedirect: true },
      },
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['components.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'istio-ingress-cert' },
      },
    ]);
    assert.ok(objects.some((o) => o.kind === 'ServiceMonitor'));
    await assertSettingsAccepted(objects);
    await dryRunApply(objects);
  });

  it('reads hostName, httpsRedirect and credentialName under deployment.* too (api-operator-istio placement)', async () => {
    const objects = await render('upstream', {
      deployment: { hostName: 'api.example.com', httpsRedirect: false, credentialName: '' },
      configmap: { loglevel: 10, componentGateway: 'canvas/component-gateway' },
    });
    assert.deepEqual(field(find(objects, 'Gateway'), 'spec').servers, [
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] },
    ]);
    assert.equal(settingsOf(objects).LOGGING, '10');
    await assertSettingsAccepted(objects);
    await dryRunApply(objects);
  });

  it('renders with driver=simple-ingress: its ClusterRole, the ingress class, no Istio Gateway; all accepted', async () => {
    const objects = await render('ingress', { driver: 'simple-ingress', deployment: { istioGateway: true } });
    assert.ok(!objects.some((o) => o.kind === 'Gateway'), 'no Istio Gateway with the simple-ingress driver');
    assert.equal(
      bindingRole(objects, 'ingress-oda-api-operator-simple-ingress'),
      'ingress-oda-api-operator-simple-ingress',
    );
    assert.ok(!objects.some((o) => o.kind === 'ClusterRole' && o.metadata.name.endsWith('-istio')));
    const settings = settingsOf(objects);
    assert.equal(settings.ODA_API_OPERATOR_DRIVER, 'simple-ingress');
    assert.equal(settings.INGRESS_CLASS, 'nginx');
    assert.equal(settings.APIOPERATORISTIO_COMPONENTGATEWAY, undefined);
    await assertSettingsAccepted(objects);
    await dryRunApply(objects);
  });

  it('renders with driver=gateway-api; all accepted', async () => {
    const objects = await render('gwapi', {
      driver: 'gateway-api',
      settings: { gatewayApiParent: 'gateway-system/component-gateway', urlScheme: 'http' },
    });
    const settings = settingsOf(objects);
    assert.equal(settings.ODA_API_OPERATOR_GATEWAY_API_PARENT, 'gateway-system/component-gateway');
    assert.equal(settings.ODA_API_OPERATOR_URL_SCHEME, 'http');
    await assertSettingsAccepted(objects);
    await dryRunApply(objects);
  });

  it('grants exactly the rules of config/rbac (core, leader election and each driver)', async () => {
    const expected = new Map<string, unknown>();
    for (const file of [
      'cluster-role-core',
      'cluster-role-istio',
      'cluster-role-simple-ingress',
      'cluster-role-gateway-api',
    ]) {
      for (const role of await readManifest(join(ROOT, 'config', 'rbac', `${file}.yaml`)))
        expected.set(role.metadata.name.replace(/^oda-api-operator-/, ''), role.rules);
    }
    for (const role of await readManifest(join(ROOT, 'config', 'rbac', 'leader-election-role.yaml')))
      if (role.kind === 'Role') expected.set('leader-election', role.rules);
    for (const driver of ['istio', 'simple-ingress', 'gateway-api']) {
      const objects = await render('oda-api-operator', { driver });
      for (const role of objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
        const key = role.metadata.name.replace(/^oda-api-operator-/, '');
        assert.ok(expected.has(key), `config/rbac has no counterpart of ${role.kind} ${role.metadata.name}`);
        assert.deepEqual(role.rules, expected.get(key), `rules of ${role.kind} ${role.metadata.name}`);
      }
    }
  });

  it('refuses metrics modes the operator does not implement, naming the value to set', async () => {
    for (const values of [
      { deployment: { openMetricsImplementation: 'PrometheusAnnotation' } },
      { openMetricsImplementation: 'PrometheusAnnotation' },
      { deployment: { dataDog: { enabled: true } } },
    ]) {
      await assert.rejects(render('bad', values), /openMetricsImplementation=\w+ is not supported .* ServiceMonitor/);
    }
    await assert.rejects(render('bad', { driver: 'kong' }), /driver/);
  });

  it('has a dry run with teeth: an invalid rendered object is refused', async () => {
    const objects = await render('oda-api-operator', { podLabels: { 'not a label key': 'x' } });
    await assert.rejects(dryRunApply(objects), /Deployment .*HTTP 422 .*not a label key/);
  });

  it('uses the package version as appVersion', () => {
    const chart = parseYaml(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    assert.equal(chart.appVersion, packageVersion());
  });
});

// ---- helpers ------------------------------------------------------------------------------------

async function helmBinary(): Promise<string> {
  const { stdout } = await run('bash', [join(ROOT, 'scripts', 'helm.sh')], { maxBuffer: 16 * 1024 * 1024 });
  const path = stdout.trim().split('\n').pop();
  if (!path) throw new Error('scripts/helm.sh printed no path');
  return path;
}

/** `helm template` into the test namespace; the values are written as a file (JSON is YAML). */
async function render(release: string, values: object): Promise<ManifestObject[]> {
  const file = join(scratch, `${release}-${String(Date.now())}.values.yaml`);
  writeFileSync(file, JSON.stringify(values));
  const args = ['template', release, CHART, '--namespace', namespace, '--kube-version', kubeVersion, '-f', file];
  const { stdout, stderr, code } = await runCollect(helm, args);
  if (code !== 0) throw new Error(`helm template failed (${String(code)}): ${stderr.trim()}`);
  const objects: ManifestObject[] = [];
  for (const document of parseAllDocuments(stdout)) {
    if (document.errors.length > 0)
      throw new Error(`helm template printed invalid YAML: ${String(document.errors[0])}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) objects.push(value as ManifestObject);
  }
  return objects.sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

function runCollect(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/**
 * Server-side apply with `dryRun=All` and strict field validation: admission, defaulting and
 * schema validation run, nothing is stored. Every object is tried; all failures are reported.
 */
async function dryRunApply(objects: readonly ManifestObject[]): Promise<void> {
  const paths = new ResourcePaths(admin);
  const failures: string[] = [];
  for (const object of objects) {
    const label = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    try {
      const path = await paths.pathOf(object);
      const query = '?dryRun=All&fieldValidation=Strict&fieldManager=oda-deploy-test&force=true';
      const response = await rawRequest(admin, 'PATCH', path + query, {
        contentType: 'application/apply-patch+yaml',
        value: object,
      });
      if (response.status < 200 || response.status >= 300)
        failures.push(`${label}: HTTP ${String(response.status)} ${messageOf(response.body)}`);
    } catch (error) {
      failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  assert.deepEqual(failures, [], `objects refused by the API server:\n${failures.join('\n')}`);
}

/** The operator's settings loader judges the rendered environment (`render` reads the same settings as `run`). */
async function assertSettingsAccepted(objects: readonly ManifestObject[]): Promise<void> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...settingsOf(objects) };
  const child = spawn(process.execPath, [join(ROOT, 'core', 'cli', 'main.ts'), 'render', '-f', '-'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  child.stdin.end('');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the operator refuses the chart's settings: ${stderr.trim()}`);
}

function settingsOf(objects: readonly ManifestObject[]): Record<string, string> {
  return find(objects, 'ConfigMap').data as Record<string, string>;
}

function bindingRole(objects: readonly ManifestObject[], binding: string): unknown {
  const found = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === binding);
  assert.ok(found, `no ClusterRoleBinding ${binding}`);
  return field(found, 'roleRef').name;
}

function kinds(objects: readonly ManifestObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

function find(objects: readonly ManifestObject[], kind: string): ManifestObject {
  const found = objects.find((o) => o.kind === kind);
  assert.ok(found, `no ${kind} rendered`);
  return found;
}

type Fields = Readonly<Record<string, unknown>>;

function field(object: Fields, key: string): Fields {
  const value = object[key];
  assert.ok(typeof value === 'object' && value !== null, `${key} is not an object`);
  return value as Fields;
}

function first(list: unknown): Fields {
  assert.ok(Array.isArray(list) && list.length > 0, 'expected a non-empty list');
  return list[0] as Fields;
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a Status
  }
  return body.slice(0, 300);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
