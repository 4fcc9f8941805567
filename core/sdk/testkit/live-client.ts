import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isNotFound } from '../../kube/kube-api-error.ts';
import { createKubeClient } from '../../kube/kube-client.ts';
import type { ClosableKubeClient } from '../../kube/kube-client.ts';
import { deleteObject, mergePatch, serverSideApply } from '../../kube/kube-writes.ts';
import type { KubeRawObject } from '../../kube/raw-object.ts';
import { objectPath } from '../../kube/resource-type.ts';
import type { ResourceType } from '../../kube/resource-type.ts';
import { serves } from '../../operator/discovery-state.ts';
import type { JsonObject } from '../json.ts';
import { isJsonObject } from '../json.ts';
import type { KindRef } from '../kube-object.ts';
import { packageRoot } from './kit-driver.ts';
import { until } from './until.ts';

/** The kit's hands on the cluster, also given to a vendor's hooks. */
export interface LiveClient {
  /** Server-side apply (field manager `oda-conformance-kit`, forced). */
  apply(kind: KindRef, object: JsonObject): Promise<JsonObject>;
  /** The object, or undefined when it does not exist. */
  get(kind: KindRef, namespace: string, name: string): Promise<JsonObject | undefined>;
  /** JSON merge patch of the object or of its `status` subresource. */
  patch(kind: KindRef, namespace: string, name: string, patch: JsonObject, subresource?: 'status'): Promise<JsonObject>;
  /** Deletes the object; true when it existed. */
  delete(kind: KindRef, namespace: string, name: string): Promise<boolean>;
  /** Applies CustomResourceDefinitions (an object, or YAML text of one or more) and waits until they are served. */
  installCrd(crd: JsonObject | string): Promise<void>;
}

const FIELD_MANAGER = 'oda-conformance-kit';
const CRD: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};
const NAMESPACE: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};

export const SERVICE: KindRef = { apiVersion: 'v1', kind: 'Service', plural: 'services' };
export const ENDPOINT_SLICE: KindRef = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
};
export const EXPOSED_API: KindRef = { apiVersion: 'oda.tmforum.org/v1', kind: 'ExposedAPI', plural: 'exposedapis' };

function typeOf(kind: KindRef): ResourceType {
  const [group = '', version = ''] = kind.apiVersion.includes('/') ? kind.apiVersion.split('/') : ['', kind.apiVersion];
  return { group, version, plural: kind.plural, kind: kind.kind, namespaced: true };
}

const raw = (o: JsonObject): KubeRawObject => o as unknown as KubeRawObject;
const json = (o: KubeRawObject): JsonObject => o as unknown as JsonObject;

/** A {@link LiveClient} over the operator's own Kubernetes client. */
export class KitClient implements LiveClient {
  readonly kubeConfig: KubeConfig;
  readonly client: ClosableKubeClient;

  constructor(kubeconfigPath: string) {
    this.kubeConfig = new KubeConfig();
    this.kubeConfig.loadFromFile(kubeconfigPath);
    this.client = createKubeClient(this.kubeConfig, { userAgent: FIELD_MANAGER, writeQps: 1000, writeBurst: 1000 });
  }

  async apply(kind: KindRef, object: JsonObject): Promise<JsonObject> {
    return json(
      await serverSideApply(this.client, typeOf(kind), raw(object), { fieldManager: FIELD_MANAGER, force: true }),
    );
  }

  async get(kind: KindRef, namespace: string, name: string): Promise<JsonObject | undefined> {
    try {
      const path = objectPath(typeOf(kind), namespace, name);
      return (await this.client.request<JsonObject>({ method: 'GET', path })).body;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async patch(
    kind: KindRef,
    namespace: string,
    name: string,
    patch: JsonObject,
    subresource?: 'status',
  ): Promise<JsonObject> {
    const options = { fieldManager: FIELD_MANAGER };
    return json(await mergePatch(this.client, typeOf(kind), namespace, name, patch, subresource, options));
  }

  delete(kind: KindRef, namespace: string, name: string): Promise<boolean> {
    return deleteObject(this.client, typeOf(kind), namespace, name);
  }

  async installCrd(crd: JsonObject | string): Promise<void> {
    if (typeof crd === 'string') {
      for (const doc of parseAllDocuments(crd)) {
        const object: unknown = doc.toJS();
        if (isJsonObject(object) && object.kind === 'CustomResourceDefinition') await this.installCrd(object);
      }
      return;
    }
    await serverSideApply(this.client, CRD, raw(crd), { fieldManager: FIELD_MANAGER, force: true });
    const spec = isJsonObject(crd.spec) ? crd.spec : {};
    const names = isJsonObject(spec.names) ? spec.names : {};
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonObject) : [];
    const version = versions.find((v) => v.served === true)?.name;
    if (typeof spec.group !== 'string' || typeof names.plural !== 'string' || typeof version !== 'string') {
      throw new Error('installCrd: the CRD needs spec.group, spec.names.plural and a served version');
    }
    const { group, plural } = { group: spec.group, plural: names.plural };
    await until(`CRD ${plural}.${group} to be served`, 30_000, async () =>
      (await serves(this.client, `${group}/${version}`, plural)) ? true : undefined,
    );
  }

  /** Installs the operator's own CRDs (from the package's `config/crd`) unless ExposedAPI is served. */
  async ensureOdaCrds(): Promise<void> {
    if (await serves(this.client, 'oda.tmforum.org/v1', 'exposedapis')) return;
    const dir = join(packageRoot(), 'config', 'crd');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      await this.installCrd(readFileSync(join(dir, file), 'utf8'));
    }
  }

  async createNamespace(name: string): Promise<void> {
    await serverSideApply(
      this.client,
      NAMESPACE,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      {
        fieldManager: FIELD_MANAGER,
        force: true,
      },
    );
  }

  async deleteNamespace(name: string): Promise<void> {
    await deleteObject(this.client, NAMESPACE, undefined, name).catch(() => false);
  }

  close(): void {
    this.client.close();
  }
}
