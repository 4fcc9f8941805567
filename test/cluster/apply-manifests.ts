import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { harnessFieldManager } from './install-crds.ts';
import { rawRequest, serverSideApply } from './raw-request.ts';

/** An object read from a manifest (or returned by the API server), as plain data. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  readonly [field: string]: unknown;
}

export interface ManifestMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly uid: string; readonly [field: string]: unknown }[];
  readonly [field: string]: unknown;
}

/** The objects of a multi-document YAML file, in order (empty documents skipped). */
export async function readManifest(path: string): Promise<ManifestObject[]> {
  const objects: ManifestObject[] = [];
  for (const document of parseAllDocuments(await readFile(path, 'utf8'))) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isManifestObject(value)) throw new Error(`${path}: a document lacks apiVersion, kind or metadata.name`);
    objects.push(value);
  }
  return objects;
}

/**
 * Server-side applies objects one by one, in order (namespaces before what they hold), sending
 * each exactly as written; REST paths come from API discovery. Returns the objects as stored.
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: readonly ManifestObject[],
  fieldManager = harnessFieldManager,
): Promise<ManifestObject[]> {
  const resolver = new ResourcePaths(kc);
  const applied: ManifestObject[] = [];
  for (const object of objects) {
    const path = await resolver.pathOf(object);
    await serverSideApply(kc, path, object, fieldManager);
    const stored = await rawRequest(kc, 'GET', path);
    applied.push(JSON.parse(stored.body) as ManifestObject);
  }
  return applied;
}

/** Maps apiVersion + kind to a REST path through discovery (cached per group version). */
export class ResourcePaths {
  readonly #kc: KubeConfig;
  readonly #groups = new Map<string, Promise<readonly DiscoveredResource[]>>();

  constructor(kc: KubeConfig) {
    this.#kc = kc;
  }

  async pathOf(object: ManifestObject): Promise<string> {
    const resources = await this.#resourcesOf(object.apiVersion);
    const resource = resources.find((candidate) => candidate.kind === object.kind && !candidate.name.includes('/'));
    if (!resource) throw new Error(`the API server does not serve ${object.kind} in ${object.apiVersion}`);
    const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = object.metadata.namespace ?? 'default';
    const scope = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${scope}/${resource.name}/${encodeURIComponent(object.metadata.name)}`;
  }

  #resourcesOf(apiVersion: string): Promise<readonly DiscoveredResource[]> {
    let resources = this.#groups.get(apiVersion);
    if (resources === undefined) {
      resources = this.#discover(apiVersion);
      resources.catch(() => this.#groups.delete(apiVersion)); // a later call tries again
      this.#groups.set(apiVersion, resources);
    }
    return resources;
  }

  async #discover(apiVersion: string): Promise<readonly DiscoveredResource[]> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const response = await rawRequest(this.#kc, 'GET', path);
    if (response.status !== 200) throw new Error(`discovery of ${apiVersion} failed with HTTP ${response.status}`);
    const list = JSON.parse(response.body) as { resources?: DiscoveredResource[] };
    return list.resources ?? [];
  }
}

interface DiscoveredResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

function isManifestObject(value: unknown): value is ManifestObject {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  const name =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).name : undefined;
  return typeof apiVersion === 'string' && typeof kind === 'string' && typeof name === 'string';
}
