import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/sdk/kube-object.ts';
import { kubernetesOpenApi, thirdPartyCrdDir } from './schema-sources.ts';

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes a structural schema strict: an object with declared properties rejects any other field,
 * as the API server would silently prune it (a bug in the generated object we want to see).
 */
export function strictify(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strictify);
  if (!isSchema(value)) return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value)) out[k] = strictify(v);
  if (
    isSchema(out.properties) &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const BUILTIN: Readonly<Record<string, { file: string; schema: string }>> = {
  'networking.k8s.io/v1/Ingress': {
    file: 'apis__networking.k8s.io__v1_openapi.json',
    schema: 'io.k8s.api.networking.v1.Ingress',
  },
};

/** Validates generated objects against the real schemas of their kinds. */
export class SchemaValidator {
  readonly #ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  readonly #crdSchemas = new Map<string, Schema>();
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #openApiLoaded = new Set<string>();

  constructor() {
    const dir = thirdPartyCrdDir();
    for (const file of ['istio.yaml', 'servicemonitor.yaml', 'gateway-api.yaml']) this.#indexCrds(join(dir, file));
    this.#loadOpenApi('apis__networking.k8s.io__v1_openapi.json');
  }

  #indexCrds(path: string): void {
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      const crd: unknown = doc.toJS();
      if (!isSchema(crd) || crd.kind !== 'CustomResourceDefinition' || !isSchema(crd.spec)) continue;
      const { group, names, versions } = crd.spec;
      if (typeof group !== 'string' || !isSchema(names) || !Array.isArray(versions)) continue;
      for (const v of versions as unknown[]) {
        if (isSchema(v) && isSchema(v.schema) && isSchema(v.schema.openAPIV3Schema)) {
          this.#crdSchemas.set(`${group}/${String(v.name)}/${String(names.kind)}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }

  #loadOpenApi(file: string): void {
    if (this.#openApiLoaded.has(file)) return;
    const doc = kubernetesOpenApi(file);
    this.#ajv.addSchema(strictify(doc) as Schema, file);
    this.#openApiLoaded.add(file);
  }

  #validatorFor(key: string): ValidateFunction | undefined {
    const cached = this.#compiled.get(key);
    if (cached) return cached;
    const builtin = BUILTIN[key];
    const crd = this.#crdSchemas.get(key);
    let compiled: ValidateFunction | undefined;
    if (builtin) {
      compiled = this.#ajv.compile({ $ref: `${builtin.file}#/components/schemas/${builtin.schema}` });
    } else if (crd) {
      compiled = this.#ajv.compile(strictify(crd) as Schema);
    }
    if (compiled) this.#compiled.set(key, compiled);
    return compiled;
  }

  /** Problems of one object; an object of an unknown kind is itself a problem. */
  validate(object: KubeObject): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    const validator = this.#validatorFor(key);
    if (!validator) return [`no schema known for ${key}`];
    const problems: string[] = [];
    // CRD schemas may leave out apiVersion, kind and metadata (the API server implies them).
    const { apiVersion: _v, kind: _k, metadata: _m, ...body } = object;
    const subject = BUILTIN[key] ? object : body;
    if (!validator(subject)) {
      problems.push(
        ...(validator.errors ?? []).map(
          (e) => `${key} ${e.instancePath || '/'}: ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`,
        ),
      );
    }
    const meta = this.#ajv.compile({
      $ref: `apis__networking.k8s.io__v1_openapi.json#/components/schemas/${OBJECT_META}`,
    });
    if (!meta(object.metadata)) {
      problems.push(...(meta.errors ?? []).map((e) => `${key} metadata${e.instancePath}: ${e.message ?? 'invalid'}`));
    }
    return problems;
  }
}
