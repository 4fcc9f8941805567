import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './assets.ts';

/**
 * Which flavour of our ExposedAPI CRD to install: `project` (config/crd as written, with the
 * status subresource) or `upstream` (as the ODA Canvas ships it: no status subresource).
 */
export type CrdVariant = 'project' | 'upstream';

export const projectCrdDirectory = join(repoRoot, 'config', 'crd');
export const exposedApiCrdName = 'exposedapis.oda.tmforum.org';

/** Third-party CRD files written by scripts/third-party-crds.sh. */
export const thirdPartyCrdFiles = ['istio.yaml', 'gateway-api.yaml', 'servicemonitor.yaml'] as const;

/** Our CRDs (config/crd/*.yaml) in the requested variant. */
export async function projectCrds(variant: CrdVariant): Promise<V1CustomResourceDefinition[]> {
  const files = (await readdir(projectCrdDirectory)).filter((name) => name.endsWith('.yaml')).sort();
  const crds = (await Promise.all(files.map((name) => readCrdFile(join(projectCrdDirectory, name))))).flat();
  return variant === 'upstream' ? crds.map(toUpstreamVariant) : crds;
}

/** The Istio, Gateway API and ServiceMonitor CRDs from the directory the script prepared. */
export async function thirdPartyCrds(directory: string): Promise<V1CustomResourceDefinition[]> {
  return (await Promise.all(thirdPartyCrdFiles.map((name) => readCrdFile(join(directory, name))))).flat();
}

/** Validation our CRD adds that upstream's does not have (it types fields, nothing more). */
const projectOnlyKeywords = ['pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'x-kubernetes-validations'];

function stripProjectValidation(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const item of schema) stripProjectValidation(item);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const record = schema as Record<string, unknown>;
  for (const key of projectOnlyKeywords) Reflect.deleteProperty(record, key);
  for (const value of Object.values(record)) stripProjectValidation(value);
}

/**
 * The upstream flavour of a CRD: the ExposedAPI CRD loses its status subresource in every
 * version and the validation upstream lacks (patterns, ranges, CEL rules), keeping the field
 * types and required fields; any other CRD is returned unchanged. The input is not modified.
 */
export function toUpstreamVariant(crd: V1CustomResourceDefinition): V1CustomResourceDefinition {
  if (crd.metadata?.name !== exposedApiCrdName) return crd;
  const copy = structuredClone(crd);
  for (const version of copy.spec.versions) {
    stripProjectValidation(version.schema);
    if (version.subresources === undefined) continue;
    delete version.subresources.status;
    if (Object.keys(version.subresources).length === 0) delete version.subresources;
  }
  return copy;
}

/** Every CustomResourceDefinition document of a multi-document YAML file. */
export async function readCrdFile(path: string): Promise<V1CustomResourceDefinition[]> {
  const documents = parseAllDocuments(await readFile(path, 'utf8'));
  const crds: V1CustomResourceDefinition[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = document.toJS();
    if (!isCrd(value)) continue; // empty documents, or (defensively) objects of other kinds
    crds.push(value);
  }
  if (crds.length === 0) throw new Error(`${path} holds no CustomResourceDefinition`);
  return crds;
}

function isCrd(value: unknown): value is V1CustomResourceDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    value.kind === 'CustomResourceDefinition' &&
    'apiVersion' in value &&
    value.apiVersion === 'apiextensions.k8s.io/v1'
  );
}
