import { jsonEqual } from '../../model/json-equal.ts';
import { checkNamespace, checkObjectName } from '../../model/syntax.ts';
import {
  DRIVER_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SOURCE_ANNOTATION,
  sourceRef,
} from '../../translate/ownership.ts';
import type { ApiSource } from '../api-model.ts';
import type { DriverCondition } from '../conditions.ts';
import type { PublishedAddress } from '../driver.ts';
import type { KubeObject, OwnedKind, OwnerReference } from '../kube-object.ts';
import { kindKey } from '../kube-object.ts';

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const CONDITION_TYPE = /^[A-Z][A-Za-z0-9]*$/;
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems of a label key: an optional DNS-subdomain prefix of at most 253 characters, a name of at most 63. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && checkObjectName(prefix) !== undefined)
    return `label key ${key}: prefix ${checkObjectName(prefix) ?? ''}`;
  if (!LABEL_NAME.test(name))
    return `label key ${key}: name must be 1-63 characters of [A-Za-z0-9-_.], alphanumeric at both ends`;
  return undefined;
}

/**
 * What `translate` returned, checked to be `{ objects: KubeObject[], conditions: DriverCondition[] }`;
 * with `plain`, objects must also be plain JSON (no `undefined`, `NaN`, functions or class instances).
 */
export function outputShapeProblems(output: unknown, plain = true): string[] {
  if (!isRecord(output)) return ['translate must return an object { objects, conditions }'];
  const problems: string[] = [];
  if (!Array.isArray(output.objects)) problems.push('objects must be an array');
  else {
    for (const [i, o] of (output.objects as unknown[]).entries()) {
      const meta = isRecord(o) ? o.metadata : undefined;
      if (
        !isRecord(o) ||
        typeof o.apiVersion !== 'string' ||
        typeof o.kind !== 'string' ||
        !isRecord(meta) ||
        typeof meta.name !== 'string'
      )
        problems.push(`objects[${i}] must have apiVersion, kind and metadata.name`);
      else if (o.spec !== undefined && !isRecord(o.spec)) problems.push(`objects[${i}].spec must be an object`);
      else if (plain && !jsonEqual(JSON.parse(JSON.stringify(o)) as unknown, o))
        problems.push(`objects[${i}] must be plain JSON`);
    }
  }
  if (!Array.isArray(output.conditions)) problems.push('conditions must be an array');
  else problems.push(...conditionProblems(output.conditions as DriverCondition[]));
  return problems;
}

/** Conditions a driver reports: CamelCase types other than Ready, each once, valid status and reason. */
export function conditionProblems(conditions: readonly unknown[]): string[] {
  const problems: string[] = [];
  const types = new Set<string>();
  for (const [i, c] of conditions.entries()) {
    if (!isRecord(c)) {
      problems.push(`conditions[${i}] must be an object`);
      continue;
    }
    const at = `condition ${typeof c.type === 'string' ? c.type : `[${i}]`}`;
    if (typeof c.type !== 'string' || !CONDITION_TYPE.test(c.type)) problems.push(`${at}: type must be CamelCase`);
    if (c.type === 'Ready') problems.push(`${at}: Ready belongs to the core`);
    if (typeof c.type === 'string' && types.has(c.type))
      problems.push(`${at}: reported twice (conditions are keyed by type)`);
    if (typeof c.type === 'string') types.add(c.type);
    if (c.status !== 'True' && c.status !== 'False' && c.status !== 'Unknown')
      problems.push(`${at}: status must be True, False or Unknown`);
    if (typeof c.reason !== 'string' || !CONDITION_REASON.test(c.reason) || c.reason.length > 1024)
      problems.push(`${at}: reason must be CamelCase (at most 1024 characters)`);
    if (typeof c.message !== 'string' || c.message.length > 32 * 1024)
      problems.push(`${at}: message must be a string of at most 32 KiB`);
  }
  return problems;
}

export interface ObjectContext {
  readonly driverId: string;
  readonly ownedKinds: readonly OwnedKind[];
  readonly source: Pick<ApiSource, 'kind' | 'namespace' | 'name'>;
  /** Given in live mode: every output must carry it. */
  readonly owner?: OwnerReference;
}

/**
 * Problems of the objects exposing one API, after the core stamped its ownership: declared kind,
 * the API's namespace, a valid name, labels and annotations within Kubernetes limits, ownership
 * labels and annotation, the owner reference, and no two objects of the same identity.
 */
export function objectProblems(objects: readonly KubeObject[], context: ObjectContext): string[] {
  const problems: string[] = [];
  const declared = new Set(context.ownedKinds.map(kindKey));
  const seen = new Set<string>();
  for (const o of objects) {
    const meta = o.metadata;
    const at = `${o.kind} ${meta.namespace ?? ''}/${meta.name}`;
    if (!declared.has(kindKey(o))) problems.push(`${at}: kind ${kindKey(o)} is not in ownedKinds`);
    if (meta.namespace !== context.source.namespace)
      problems.push(
        `${at}: must be in the API's namespace ${context.source.namespace} (owner references and pruning need it)`,
      );
    const nameProblem = checkObjectName(meta.name);
    if (nameProblem !== undefined) problems.push(`${at}: name ${nameProblem}`);
    if (meta.namespace !== undefined && checkNamespace(meta.namespace) !== undefined)
      problems.push(`${at}: invalid namespace`);
    for (const [key, value] of Object.entries(meta.labels ?? {})) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem !== undefined) problems.push(`${at}: ${keyProblem}`);
      if (typeof value !== 'string' || !LABEL_VALUE.test(value))
        problems.push(`${at}: label ${key} value must be at most 63 characters of [A-Za-z0-9-_.]`);
    }
    const annotations = meta.annotations ?? {};
    const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > MAX_ANNOTATIONS_BYTES) problems.push(`${at}: annotations exceed 256 KiB`);
    for (const key of Object.keys(annotations)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem !== undefined) problems.push(`${at}: annotation ${keyProblem}`);
    }
    if (meta.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || meta.labels[DRIVER_LABEL] !== context.driverId)
      problems.push(`${at}: ownership labels ${MANAGED_BY_LABEL} and ${DRIVER_LABEL} missing or overwritten`);
    if (annotations[SOURCE_ANNOTATION] !== sourceRef(context.source))
      problems.push(`${at}: annotation ${SOURCE_ANNOTATION} must name ${sourceRef(context.source)}`);
    const owner = context.owner;
    if (owner !== undefined && !(meta.ownerReferences ?? []).some((r) => jsonEqual(r, owner)))
      problems.push(`${at}: must carry the owner reference to the API object (use outputMetadata)`);
    const identity = `${kindKey(o)}/${meta.namespace ?? ''}/${meta.name}`;
    if (seen.has(identity)) problems.push(`${at}: returned twice`);
    seen.add(identity);
  }
  return problems;
}

/** An address read from a live object: undefined, or a plain host and an optional valid port. */
export function addressProblems(address: unknown): string[] {
  if (address === undefined) return [];
  if (!isRecord(address)) return ['an address must be undefined or { host, port? }'];
  const { host, port } = address as Partial<PublishedAddress>;
  const problems: string[] = [];
  if (typeof host !== 'string' || !HOST.test(host))
    problems.push(`address host must be an IP address or DNS name, got ${JSON.stringify(host)}`);
  if (port !== undefined && !(typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536))
    problems.push(`address port must be an integer from 1 to 65535, got ${JSON.stringify(port)}`);
  return problems;
}
