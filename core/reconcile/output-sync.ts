import { jsonDigest } from '../model/digest.ts';
import { jsonContains } from '../model/json-equal.ts';
import type { KubeObject, OwnedKind } from '../sdk/kube-object.ts';
import type { ClusterState, ClusterWriter, OwnedObject } from './ports.ts';

export interface SyncResult {
  /** The objects as they now exist, in the driver's order (the route first). */
  readonly objects: readonly OwnedObject[];
  readonly created: readonly OwnedObject[];
  readonly updated: readonly OwnedObject[];
  readonly removed: readonly OwnedObject[];
  /** First failure, in words; the other objects were still synced. */
  readonly error?: string;
}

function identity(o: { apiVersion: string; kind: string; metadata?: { name: string }; name?: string }): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata?.name ?? o.name ?? ''}`;
}

/**
 * Whether the live object already holds everything the desired one says (server defaults aside).
 * A live version found to hold a desired object remembers its digest, so later reconciles wanting
 * the same object decide without looking at the content, which the cache may then drop (`forget`:
 * only when nothing else reads it, e.g. no driver `routeConditions`). A version whose content was
 * dropped and that is asked about another desired object is not in sync: it is applied again.
 */
export function inSync(live: OwnedObject, desired: KubeObject, forget = false): boolean {
  const digest = jsonDigest({ spec: desired.spec ?? {}, metadata: desired.metadata });
  if (live.verifiedDigest === digest) return true;
  if (live.contentForgotten === true) return false;
  const refs = Array.isArray(live.ownerReferences) ? live.ownerReferences : [];
  const wantedRefs = desired.metadata.ownerReferences ?? [];
  const contained =
    jsonContains(live.spec, desired.spec ?? {}) &&
    jsonContains(live.labels, desired.metadata.labels ?? {}) &&
    jsonContains(live.annotations, desired.metadata.annotations ?? {}) &&
    wantedRefs.every((w) => refs.some((r) => jsonContains(r, w)));
  if (contained) {
    live.verifiedDigest = digest;
    if (forget) live.forgetContent?.();
  }
  return contained;
}

/**
 * Brings the outputs of one API to the desired set: applies what is missing or drifted, leaves
 * alone what is in sync (zero writes in steady state), deletes owned objects no longer desired.
 * An object of the same name owned by another API is not taken over.
 */
export async function syncOutputs(
  key: string,
  desired: readonly KubeObject[],
  kinds: readonly OwnedKind[],
  state: ClusterState,
  writer: ClusterWriter,
  /** Let the cache drop the content of outputs found in sync (see `inSync`). */
  forgetVerified = false,
): Promise<SyncResult> {
  const objects: OwnedObject[] = [];
  const created: OwnedObject[] = [];
  const updated: OwnedObject[] = [];
  const removed: OwnedObject[] = [];
  let error: string | undefined;
  for (const want of desired) {
    const kind = kinds.find((k) => k.apiVersion === want.apiVersion && k.kind === want.kind);
    const live = kind && state.ownedObject(kind, want.metadata.namespace ?? '', want.metadata.name);
    if (live && live.source !== key) {
      error ??= `${want.kind} ${want.metadata.namespace ?? ''}/${want.metadata.name} already belongs to ${live.source ?? 'another owner'}`;
      continue;
    }
    if (live && inSync(live, want, forgetVerified)) {
      objects.push(live);
      continue;
    }
    try {
      const applied = await writer.apply(want, live !== undefined);
      objects.push(applied);
      (live ? updated : created).push(applied);
    } catch (e) {
      error ??= `apply ${want.kind} ${want.metadata.namespace ?? ''}/${want.metadata.name}: ${describe(e)}`;
    }
  }
  const wanted = new Set(desired.map((d) => identity(d)));
  for (const stale of state.ownedBy(key).filter((o) => !wanted.has(identity(o)))) {
    try {
      await writer.delete(stale);
      removed.push(stale);
    } catch (e) {
      error ??= `delete ${stale.kind} ${stale.namespace}/${stale.name}: ${describe(e)}`;
    }
  }
  return { objects, created, updated, removed, ...(error === undefined ? {} : { error }) };
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
