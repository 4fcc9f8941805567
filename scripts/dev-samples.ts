/**
 * Loads config/samples into the dev cluster, standing in for the parts of a Canvas that are not
 * there: the cloud provider (gives the ingress gateway Service its address) and the ODA component
 * operator (owner references from ExposedAPIs to their Component, and the Component's status
 * entries carrying each ExposedAPI's uid).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../test/cluster/assets.ts';
import { applyObjects, readManifest, type ManifestObject } from '../test/cluster/apply-manifests.ts';
import { rawRequest } from '../test/cluster/raw-request.ts';

export const samplesDir = join(repoRoot, 'config', 'samples');
const gatewaySample = 'istio-ingress-gateway.yaml';
const componentLabel = 'oda.tmforum.org/componentName';
const segmentStatusKey: Readonly<Record<string, string>> = {
  coreFunction: 'coreAPIs',
  managementFunction: 'managementAPIs',
  securityFunction: 'securityAPIs',
};

/** Applies the gateway sample and gives its Service the address 127.0.0.1. */
export async function installIngressGateway(kc: KubeConfig): Promise<void> {
  await applyObjects(kc, await readManifest(join(samplesDir, gatewaySample)));
  await setStatus(kc, '/api/v1/namespaces/istio-system/services/istio-ingressgateway/status', {
    loadBalancer: { ingress: [{ ip: '127.0.0.1' }] },
  });
}

/** Applies every other sample: namespaces and Components first, then what they own. */
export async function installComponentSamples(kc: KubeConfig): Promise<ManifestObject[]> {
  const files = (await readdir(samplesDir)).filter((name) => name.endsWith('.yaml') && name !== gatewaySample).sort();
  const objects = (await Promise.all(files.map((name) => readManifest(join(samplesDir, name))))).flat();
  const first = [
    ...objects.filter((object) => object.kind === 'Namespace'),
    ...objects.filter((object) => object.kind === 'Component'),
  ];
  const components = await applyObjects(kc, first);
  const rest = objects
    .filter((object) => !first.includes(object))
    .map((object) => withComponentOwner(object, components));
  const applied = await applyObjects(kc, rest);
  for (const component of components.filter((object) => object.kind === 'Component')) {
    await setComponentApiEntries(kc, component, applied);
  }
  return [...components, ...applied];
}

/** An ExposedAPI labelled with a component gets that Component as controller owner. */
function withComponentOwner(object: ManifestObject, applied: readonly ManifestObject[]): ManifestObject {
  const componentName = object.metadata.labels?.[componentLabel];
  if (object.kind !== 'ExposedAPI' || componentName === undefined) return object;
  const owner = applied.find(
    (candidate) =>
      candidate.kind === 'Component' &&
      candidate.metadata.name === componentName &&
      candidate.metadata.namespace === object.metadata.namespace,
  );
  if (owner?.metadata.uid === undefined) return object;
  const ownerReference = {
    apiVersion: 'oda.tmforum.org/v1',
    kind: 'Component',
    name: componentName,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  return { ...object, metadata: { ...object.metadata, ownerReferences: [ownerReference] } };
}

/** status.<segment>APIs[] of a Component: one entry per owned ExposedAPI, not yet ready. */
async function setComponentApiEntries(
  kc: KubeConfig,
  component: ManifestObject,
  applied: readonly ManifestObject[],
): Promise<void> {
  const status: Record<string, { name: string; uid: string; ready: boolean }[]> = {
    coreAPIs: [],
    managementAPIs: [],
    securityAPIs: [],
  };
  for (const api of applied) {
    if (api.kind !== 'ExposedAPI' || !api.metadata.ownerReferences?.some((ref) => ref.uid === component.metadata.uid))
      continue;
    const spec = api.spec as { name?: string; segment?: string } | undefined;
    const key = segmentStatusKey[spec?.segment ?? 'coreFunction'] ?? 'coreAPIs';
    status[key]?.push({ name: spec?.name ?? '', uid: api.metadata.uid ?? '', ready: false });
  }
  const { name, namespace = '' } = component.metadata;
  // Component has no status subresource (like the Canvas CRD): status goes through the main resource.
  await setStatus(kc, `/apis/oda.tmforum.org/v1/namespaces/${namespace}/components/${name}`, status);
}

async function setStatus(kc: KubeConfig, path: string, status: unknown): Promise<void> {
  const response = await rawRequest(kc, 'PATCH', path, {
    contentType: 'application/merge-patch+json',
    value: { status },
  });
  if (response.status !== 200)
    throw new Error(`PATCH ${path} failed with HTTP ${response.status}: ${response.body.slice(0, 300)}`);
}
