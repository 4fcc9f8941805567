/**
 * The operator image, run through testcontainers the way a pod runs it: host network (the test
 * control plane listens on 127.0.0.1), read-only root filesystem, the image's own non-root user,
 * no capabilities, no privilege escalation, a ServiceAccount kubeconfig (with exactly the RBAC of
 * config/rbac) mounted read-only. Once per driver: it reconciles a sample ExposedAPI (route object,
 * status URL once the gateway has an address, readiness), serves /readyz and /metrics, takes the
 * leader Lease, and exits 0 on SIGTERM.
 *
 * Image: ODA_IMAGE, default oda-api-operator:<package.json version> (scripts/image-build.sh).
 * Cluster: ODA_TEST_KUBECONFIG (the test runner's), else a local control plane started here.
 * Needs a Docker daemon; nothing is pulled (TESTCONTAINERS_RYUK_DISABLED=true unless set).
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { GenericContainer, getContainerRuntimeClient } from 'testcontainers';
import type { ContainerRuntimeClient } from 'testcontainers';
import type { KubeRawObject } from '../../core/kube/raw-object.ts';
import { applyObjects, readManifest, type ManifestObject } from '../cluster/apply-manifests.ts';
import { freeLoopbackPorts } from '../cluster/free-port.ts';
import { rawRequest } from '../cluster/raw-request.ts';
import {
  connectTestCluster,
  startCluster,
  testKubeconfigVariable,
  waitFor,
  type RunningCluster,
} from '../cluster/index.ts';
import { KubeTestClient } from '../support/kube-test-client.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'; // the reaper image cannot be pulled here

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = process.env.ODA_IMAGE ?? `oda-api-operator:${VERSION}`;
const KUBECONFIG_IN_CONTAINER = '/etc/oda-api-operator/kubeconfig';
const GATEWAY_LABEL = 'oda-image-test-gateway';

// The runner's cluster, or one of our own for a standalone `node --test test/image/`.
let ownCluster: RunningCluster | undefined;
if (!process.env[testKubeconfigVariable]) {
  ownCluster = await startCluster({ log: (m) => console.log(`[cluster] ${m}`) });
  process.env[testKubeconfigVariable] = ownCluster.kubeconfigPath;
}
const cluster = connectTestCluster();
after(() => ownCluster?.stop());
const admin = cluster.kubeConfig();
const k = new KubeTestClient(admin);
after(() => k.close());
const scratch = mkdtempSync(join(tmpdir(), 'oda-image-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let docker: ContainerRuntimeClient;

before(async () => {
  try {
    docker = await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      `no Docker daemon: the image suite runs the image in Docker (start dockerd, e.g. ` +
        `'dockerd --storage-driver=vfs &' as root): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  try {
    await docker.container.dockerode.getImage(IMAGE).inspect();
  } catch (error) {
    throw new Error(
      `image ${IMAGE} not found: build it with scripts/image-build.sh (where no registry is reachable: ` +
        `scripts/image-base.sh && scripts/image-build.sh --local-base), or set ODA_IMAGE`,
      { cause: error },
    );
  }
});

describe(`operator image ${IMAGE}`, { timeout: 300_000 }, () => {
  it('is labelled (OCI) and configured to run as a non-root user with node as the entrypoint', async () => {
    const image = await docker.container.dockerode.getImage(IMAGE).inspect();
    const labels = image.Config.Labels;
    assert.equal(labels['org.opencontainers.image.version'], VERSION);
    assert.equal(labels['org.opencontainers.image.title'], 'oda-api-operator');
    assert.equal(labels['org.opencontainers.image.licenses'], 'Apache-2.0');
    assert.ok('org.opencontainers.image.source' in labels);
    assert.match(image.Config.User, /^[1-9][0-9]*:[0-9]+$/, 'a numeric, non-root USER');
    assert.equal(image.Config.Entrypoint?.[0], 'node', 'node itself is PID 1 (exec form)');
    assert.deepEqual(image.Config.Cmd, ['run']);
    console.log(`image ${IMAGE}: ${(image.Size / 1e6).toFixed(1)} MB`);
  });

  for (const driver of ['istio', 'simple-ingress'] as const) {
    it(`runs the ${driver} driver read-only as non-root: route, status URL, readiness, /readyz, exit 0 on SIGTERM`, async (t) => {
      const namespace = await cluster.newNamespace(`image-${driver}`, t);
      const kubeconfig = await operatorKubeconfig(namespace, driver, t);
      const api = 'productcatalogmanagement';
      const path = `/r1-productcatalog/tmf-api/productCatalogManagement/v4`;
      await implementation(namespace, `${api}-svc`, true);
      if (driver === 'istio') await gatewayService(namespace, '192.0.2.10');
      await k.apply('ExposedAPI', exposedApi(namespace, api, path));

      const [port] = await freeLoopbackPorts(1);
      assert.ok(port !== undefined);
      const args = ['run', '--driver', driver, '--kubeconfig', KUBECONFIG_IN_CONTAINER, '--namespaces', namespace];
      args.push('--http-port', String(port), '--log-level', 'debug');
      if (driver === 'istio')
        args.push(
          '--gateway-selector',
          `${GATEWAY_LABEL}=${namespace}`,
          '--component-gateway',
          `${namespace}/component-gateway`,
        );
      else args.push('--ingress-class', 'nginx');
      const logs: string[] = [];
      const container = await new HardenedContainer(IMAGE)
        .withNetworkMode('host')
        .withReadOnlyRootFilesystem()
        .withDroppedCapabilities('ALL')
        .withSecurityOpt('no-new-privileges')
        .withBindMounts([{ source: kubeconfig, target: KUBECONFIG_IN_CONTAINER, mode: 'ro' }])
        .withEnvironment({ POD_NAME: `image-test-${driver}`, POD_NAMESPACE: namespace })
        .withCommand(args)
        .withLogConsumer((stream: Readable) => stream.on('data', (chunk: Buffer | string) => logs.push(String(chunk))))
        .start();
      const handle = docker.container.getById(container.getId());
      t.after(() => docker.container.remove(handle).catch(() => undefined));
      const logTail = () => `\n--- container log (tail) ---\n${logs.join('').split('\n').slice(-40).join('\n')}`;

      try {
        const inspected = await docker.container.inspect(handle);
        assert.equal(inspected.HostConfig.ReadonlyRootfs, true);
        assert.equal(inspected.HostConfig.NetworkMode, 'host');
        assert.match(inspected.Config.User, /^65532(:65532)?$/, 'runs as the image user 65532');

        const readyz = await waitFor(
          async () => {
            const response = await fetch(`http://127.0.0.1:${String(port)}/readyz`);
            return response.status === 200 ? response.status : undefined;
          },
          { description: '/readyz to answer 200', timeoutMs: 60_000, intervalMs: 250 },
        ).catch((error: unknown) => assert.fail(`${String(error)}${logTail()}`));
        assert.equal(readyz, 200);
        const metrics = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
        assert.equal(metrics.status, 200);
        await metrics.text();

        if (driver === 'istio') {
          const route = await waitForObject('VirtualService', namespace, api, logTail);
          const spec = route.spec as {
            gateways: string[];
            http: {
              match: { uri: { prefix: string } }[];
              route: { destination: { host: string; port: { number: number } } }[];
            }[];
          };
          assert.deepEqual(spec.gateways, [`${namespace}/component-gateway`]);
          assert.equal(spec.http[0]?.match[0]?.uri.prefix, path);
          assert.deepEqual(spec.http[0].route[0]?.destination, { host: `${api}-svc`, port: { number: 8080 } });
          await waitForStatus(
            namespace,
            api,
            (s) => s.url === `https://192.0.2.10${path}`,
            'the URL on the gateway address',
            logTail,
          );
        } else {
          const route = await waitForObject('Ingress', namespace, api, logTail);
          const spec = route.spec as {
            ingressClassName: string;
            rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
          };
          assert.equal(spec.ingressClassName, 'nginx');
          assert.equal(spec.rules[0]?.http.paths[0]?.path, path);
          assert.equal(spec.rules[0].http.paths[0].backend.service.name, `${api}-svc`);
          // The ingress controller's part: an address on the Ingress.
          await k.patch(
            'Ingress',
            namespace,
            api,
            { status: { loadBalancer: { ingress: [{ ip: '192.0.2.20' }] } } },
            'status',
          );
          await waitForStatus(
            namespace,
            api,
            (s) => s.url === `https://192.0.2.20${path}`,
            'the URL on the Ingress address',
            logTail,
          );
        }
        await waitForStatus(namespace, api, (s) => s.ready === true, 'implementation.ready true', logTail);
        await implementation(namespace, `${api}-svc`, false);
        await waitForStatus(namespace, api, (s) => s.ready === false, 'implementation.ready back to false', logTail);

        const lease = await rawRequest(admin, 'GET', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`);
        assert.match(lease.body, new RegExp(`"holderIdentity":"image-test-${driver}"`), 'holds the leader Lease');
      } catch (error) {
        await docker.container.stop(handle, { timeout: 1 }).catch(() => undefined);
        throw error;
      }

      // SIGTERM to PID 1 (node), as the kubelet does; the operator must stop cleanly and exit 0.
      const stopped = Date.now();
      await handle.kill({ signal: 'SIGTERM' });
      const result = (await handle.wait()) as { StatusCode: number };
      const seconds = (Date.now() - stopped) / 1000;
      assert.equal(result.StatusCode, 0, `exit code after SIGTERM${logTail()}`);
      assert.ok(seconds < 20, `stopped within the shutdown bound (took ${seconds.toFixed(1)} s)`);
      const final = await docker.container.inspect(handle);
      assert.equal(final.State.OOMKilled, false);
      assert.match(logs.join(''), /"msg":"stopped"/);
    });
  }
});

/** GenericContainer plus the one Docker option testcontainers has no method for. */
class HardenedContainer extends GenericContainer {
  withReadOnlyRootFilesystem(): this {
    this.hostConfig.ReadonlyRootfs = true;
    return this;
  }
}

/**
 * A kubeconfig (token, CA data, server https://127.0.0.1:<port>) for a ServiceAccount bound to
 * copies of config/rbac's core and driver ClusterRoles and leader-election Role (copies, named
 * after the test namespace, so tests running in parallel never share or delete each other's).
 * World-readable copy: the container's user is not the owner of the minted file.
 */
async function operatorKubeconfig(
  namespace: string,
  driver: string,
  t: { after(fn: () => Promise<void>): void },
): Promise<string> {
  const account = 'oda-api-operator';
  const rbac = join(ROOT, 'config', 'rbac');
  const roleOf = async (file: string, kind: string): Promise<unknown> =>
    (await readManifest(join(rbac, file))).find((o) => o.kind === kind)?.rules;
  const subjects = [{ kind: 'ServiceAccount', name: account, namespace }];
  const objects: ManifestObject[] = [];
  for (const [suffix, file] of [
    ['core', 'cluster-role-core.yaml'],
    [driver, `cluster-role-${driver}.yaml`],
  ] as const) {
    const name = `${namespace}-${suffix}`;
    const rules = await roleOf(file, 'ClusterRole');
    assert.ok(Array.isArray(rules), `config/rbac/${file} has no ClusterRole rules`);
    objects.push(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects,
      },
    );
  }
  const leaseRules = await roleOf('leader-election-role.yaml', 'Role');
  objects.push(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'leader-election', namespace },
      rules: leaseRules,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'leader-election', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leader-election' },
      subjects,
    },
  );
  await applyObjects(admin, objects);
  t.after(async () => {
    for (const o of objects.filter((x) => x.kind.startsWith('Cluster'))) {
      const plural = o.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
      await rawRequest(admin, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}/${o.metadata.name}`);
    }
  });
  const minted = await cluster.mintServiceAccountKubeconfig(namespace, account);
  const copy = join(scratch, `${namespace}.kubeconfig`);
  copyFileSync(minted, copy);
  chmodSync(copy, 0o644);
  return copy;
}

function exposedApi(namespace: string, name: string, path: string): KubeRawObject {
  return {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'ExposedAPI',
    metadata: { name, namespace, labels: { 'oda.tmforum.org/componentName': 'r1-productcatalog' } },
    spec: {
      name,
      apiType: 'openapi',
      specification: { url: 'https://example.org/productCatalogManagement.json', version: '4.0.0' },
      implementation: `${name}-svc`,
      path,
      port: 8080,
    },
  };
}

/** The implementing Service and an EndpointSlice whose one endpoint is ready or not. */
async function implementation(namespace: string, name: string, ready: boolean): Promise<void> {
  await k.apply('Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
  });
  await k.apply('EndpointSlice', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-1`, namespace, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready } }],
    ports: [{ name: 'http', port: 8080 }],
  });
}

/** An ingress gateway Service as Istio's would be, with the load-balancer address a cloud would give. */
async function gatewayService(namespace: string, ip: string): Promise<void> {
  await k.apply('Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace, labels: { [GATEWAY_LABEL]: namespace } },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'istio-ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port: 80, targetPort: 8080 },
      ],
    },
  });
  await k.patch(
    'Service',
    namespace,
    'istio-ingressgateway',
    { status: { loadBalancer: { ingress: [{ ip }] } } },
    'status',
  );
}

async function waitForObject(
  type: 'VirtualService' | 'Ingress',
  namespace: string,
  name: string,
  logTail: () => string,
): Promise<KubeRawObject> {
  return waitFor(() => k.get(type, namespace, name), {
    description: `${type} ${namespace}/${name}`,
    timeoutMs: 60_000,
    intervalMs: 250,
  }).catch((error: unknown) => assert.fail(`${String(error)}${logTail()}`));
}

interface SeenStatus {
  readonly url?: unknown;
  readonly ready?: unknown;
}

async function waitForStatus(
  namespace: string,
  name: string,
  holds: (status: SeenStatus) => boolean,
  description: string,
  logTail: () => string,
): Promise<void> {
  let last: unknown;
  await waitFor(
    async () => {
      const object = await k.get('ExposedAPI', namespace, name);
      const status = (object?.status ?? {}) as { apiStatus?: { url?: unknown }; implementation?: { ready?: unknown } };
      last = status;
      return holds({ url: status.apiStatus?.url, ready: status.implementation?.ready }) ? true : undefined;
    },
    { description, timeoutMs: 60_000, intervalMs: 250 },
  ).catch((error: unknown) => assert.fail(`${String(error)}; last status ${JSON.stringify(last)}${logTail()}`));
}
