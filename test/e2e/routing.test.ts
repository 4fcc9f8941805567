/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node v2 models are data-only classes and its API takes object literals (its documented use). */
/**
 * End to end, against a real cluster with real traffic (`npm run test:e2e`, KUBECONFIG from
 * kind/up.sh): HTTP echo backends and ODA ExposedAPIs in a fresh `odacompns-*` namespace, then
 * real HTTP requests through the gateway of the installed driver:
 *   - each API path reaches its own backend;
 *   - status.apiStatus.url is published and answers;
 *   - status.implementation.ready follows the backend's pods (scaled to 0 and back);
 *   - a deleted API stops routing (404) while the other keeps working.
 * The driver is read from the operator's settings ConfigMap (kind/up.sh's release), or
 * ODA_E2E_DRIVER. The gateway address is the ingress Service's load-balancer address, or
 * ODA_E2E_GATEWAY (host[:port], e.g. through `kubectl port-forward` where load-balancer addresses
 * are not reachable from the host, as on macOS).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

const ROOT = join(import.meta.dirname, '..', '..');
const OPERATOR_NAMESPACE = process.env.ODA_E2E_OPERATOR_NAMESPACE ?? 'canvas';
const SETTINGS_CONFIGMAP = process.env.ODA_E2E_SETTINGS_CONFIGMAP ?? 'oda-api-operator-settings';
const ECHO_IMAGE = process.env.ODA_E2E_ECHO_IMAGE ?? pinnedEchoImage();
const TIMEOUT_MS = Number(process.env.ODA_E2E_TIMEOUT_MS ?? 180_000);
const ODA = { group: 'oda.tmforum.org', version: 'v1', plural: 'exposedapis' } as const;

type Driver = 'istio' | 'simple-ingress';

interface Context {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly driver: Driver;
  readonly gateway: string;
  readonly namespace: string;
}

let context: Context | undefined;

function ctx(): Context {
  if (!context) throw new Error('the suite did not start (see the failure of its before hook)');
  return context;
}

// Without a cluster the suite fails at once, with the way to get one (it never skips).
if (!process.env.KUBECONFIG) {
  throw new Error(
    'KUBECONFIG is not set: the end-to-end suite runs against a real cluster with the operator installed. ' +
      'Create one with kind/up.sh (needs Docker, kind and internet access), then: ' +
      'export KUBECONFIG=<the path it prints>; npm run test:e2e',
  );
}

before(async () => {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error(`KUBECONFIG=${process.env.KUBECONFIG} has no current cluster`);
  const core = kc.makeApiClient(CoreV1Api);
  const driver = await installedDriver(core);
  const gateway = process.env.ODA_E2E_GATEWAY ?? (await gatewayAddress(core, driver));
  const namespace = `odacompns-e2e-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'oda-e2e': 'true' } } } });
  context = {
    core,
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    driver,
    gateway,
    namespace,
  };
  console.log(`e2e: driver ${driver}, gateway ${gateway}, namespace ${namespace}, echo image ${ECHO_IMAGE}`);
});

after(async () => {
  if (context && process.env.ODA_E2E_KEEP !== '1')
    await context.core.deleteNamespace({ name: context.namespace }).catch(() => undefined);
});

describe('routing through the gateway of the installed driver', { timeout: 15 * 60_000 }, () => {
  const apis = ['alpha', 'beta'] as const;
  const pathOf = (api: string) => `/${ctx().namespace}/${api}/tmf-api/e2e/v4`;

  before(async () => {
    const { namespace } = ctx();
    for (const api of apis) {
      await echoBackend(namespace, api);
      await ctx().custom.createNamespacedCustomObject({
        ...ODA,
        namespace,
        body: exposedApi(namespace, api, pathOf(api)),
      });
    }
  });

  it('routes each API path to its own backend', async () => {
    for (const api of apis) {
      const body = await eventually(`GET ${pathOf(api)} answered by echo-${api}`, async () => {
        const response = await get(`http://${ctx().gateway}${pathOf(api)}`);
        return response.status === 200 && response.body.trim() === `echo-${api}` ? response.body : undefined;
      });
      assert.equal(body.trim(), `echo-${api}`);
    }
  });

  it('publishes status.apiStatus.url, and the URL answers', async () => {
    for (const api of apis) {
      const url = await eventually(`status.apiStatus.url of ${api}`, async () => {
        const status = await apiStatus(api);
        return typeof status.url === 'string' && status.url !== '' ? status.url : undefined;
      });
      assert.ok(url.endsWith(pathOf(api)), `URL ${url} ends with the API path`);
      assert.match(url, /^http:\/\//, `URL ${url}: install the chart with settings.urlScheme=http (kind/up.sh does)`);
      const target = process.env.ODA_E2E_GATEWAY ? `http://${ctx().gateway}${new URL(url).pathname}` : url;
      const response = await get(target);
      assert.equal(response.status, 200, `GET ${target}`);
      assert.equal(response.body.trim(), `echo-${api}`);
    }
  });

  it('follows the backend pods: ready, not ready at 0 replicas, ready again', async () => {
    await eventually('implementation.ready true for beta', async () =>
      (await apiStatus('beta')).ready === true ? true : undefined,
    );
    await scale('echo-beta', 0);
    await eventually('implementation.ready false once echo-beta has no pod', async () =>
      (await apiStatus('beta')).ready === false ? true : undefined,
    );
    await scale('echo-beta', 1);
    await eventually('implementation.ready true again', async () =>
      (await apiStatus('beta')).ready === true ? true : undefined,
    );
  });

  it('stops routing a deleted API (404) and keeps routing the other', async () => {
    const { namespace } = ctx();
    await ctx().custom.deleteNamespacedCustomObject({ ...ODA, namespace, name: 'alpha' });
    await eventually(`GET ${pathOf('alpha')} answers 404`, async () => {
      const response = await get(`http://${ctx().gateway}${pathOf('alpha')}`);
      return response.status === 404 ? true : undefined;
    });
    const other = await get(`http://${ctx().gateway}${pathOf('beta')}`);
    assert.equal(other.status, 200);
    assert.equal(other.body.trim(), 'echo-beta');
  });
});

// ---- helpers ------------------------------------------------------------------------------------

/** The echo image pinned in kind/versions.sh (one place for every version of the kind suite). */
function pinnedEchoImage(): string {
  const text = readFileSync(join(ROOT, 'kind', 'versions.sh'), 'utf8');
  const match = /ODA_E2E_ECHO_IMAGE="\$\{ODA_E2E_ECHO_IMAGE:-([^}]+)\}"/.exec(text);
  if (!match?.[1]) throw new Error('kind/versions.sh does not pin ODA_E2E_ECHO_IMAGE');
  return match[1];
}

async function installedDriver(core: CoreV1Api): Promise<Driver> {
  const wanted = process.env.ODA_E2E_DRIVER;
  if (wanted === 'istio' || wanted === 'simple-ingress') return wanted;
  if (wanted) throw new Error(`ODA_E2E_DRIVER=${wanted}: use istio or simple-ingress`);
  let driver: string | undefined;
  try {
    const settings = await core.readNamespacedConfigMap({ name: SETTINGS_CONFIGMAP, namespace: OPERATOR_NAMESPACE });
    driver = settings.data?.ODA_API_OPERATOR_DRIVER;
  } catch (error) {
    throw new Error(
      `cannot read ConfigMap ${OPERATOR_NAMESPACE}/${SETTINGS_CONFIGMAP} (is the operator installed by kind/up.sh? ` +
        `else set ODA_E2E_DRIVER and ODA_E2E_OPERATOR_NAMESPACE): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (driver === 'istio' || driver === 'simple-ingress') return driver;
  throw new Error(`the operator runs driver ${String(driver)}; this suite covers istio and simple-ingress`);
}

/** The load-balancer address of the Istio ingress gateway or of the ingress-nginx controller. */
async function gatewayAddress(core: CoreV1Api, driver: Driver): Promise<string> {
  const [namespace, selector] =
    driver === 'istio'
      ? ['istio-system', 'istio=ingressgateway']
      : ['ingress-nginx', 'app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx'];
  const services = await core.listNamespacedService({ namespace, labelSelector: selector });
  const service = services.items.find((s) => s.spec?.type === 'LoadBalancer');
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.ip ?? ingress?.hostname;
  if (!service || !host)
    throw new Error(
      `no load-balancer address on a Service ${selector} in ${namespace} (is cloud-provider-kind running?); ` +
        `or set ODA_E2E_GATEWAY=host:port`,
    );
  const port = service.spec?.ports?.find((p) => p.name === 'http' || p.name === 'http2')?.port ?? 80;
  return port === 80 ? host : `${host}:${String(port)}`;
}

/** A Deployment of the echo server answering `echo-<name>` on every path, and its Service on port 8080. */
async function echoBackend(namespace: string, name: string): Promise<void> {
  const app = `echo-${name}`;
  await ctx().apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: app, labels: { app } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            containers: [
              {
                name: 'echo',
                image: ECHO_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: [`-text=${app}`, '-listen=:5678'],
                ports: [{ name: 'http', containerPort: 5678 }],
                readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 65532 },
              },
            ],
          },
        },
      },
    },
  });
  await ctx().core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: app, labels: { app } },
      spec: { selector: { app }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
  });
}

function exposedApi(namespace: string, api: string, path: string): Record<string, unknown> {
  return {
    apiVersion: `${ODA.group}/${ODA.version}`,
    kind: 'ExposedAPI',
    metadata: { name: api, namespace, labels: { 'oda.tmforum.org/componentName': 'e2e' } },
    spec: {
      name: api,
      apiType: 'openapi',
      specification: { url: `https://example.org/${api}.json`, version: '4.0.0' },
      implementation: `echo-${api}`,
      path,
      port: 8080,
    },
  };
}

async function apiStatus(name: string): Promise<{ url?: unknown; ready?: unknown }> {
  const object = (await ctx().custom.getNamespacedCustomObject({ ...ODA, namespace: ctx().namespace, name })) as {
    status?: { apiStatus?: { url?: unknown }; implementation?: { ready?: unknown } };
  };
  return { url: object.status?.apiStatus?.url, ready: object.status?.implementation?.ready };
}

async function scale(deployment: string, replicas: number): Promise<void> {
  await ctx().apps.patchNamespacedDeploymentScale(
    { name: deployment, namespace: ctx().namespace, body: { spec: { replicas } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

/** Polls `probe` until it returns a value, for at most ODA_E2E_TIMEOUT_MS; the last error is quoted. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${String(TIMEOUT_MS)} ms waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
