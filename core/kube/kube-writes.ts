import { isNotFound } from './kube-api-error.ts';
import type { KubeClient } from './kube-client.ts';
import type { KubeRawObject } from './raw-object.ts';
import { apiVersionOf, collectionPath, objectPath, type ResourceType } from './resource-type.ts';

/** Options shared by every write. */
export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** `All`: validate and answer without persisting. */
  readonly dryRun?: 'All';
}

export interface ApplyOptions extends WriteOptions {
  /** Our identity in `managedFields`; one per writer (e.g. `oda-api-operator/istio`). */
  readonly fieldManager: string;
  /** Take over fields another manager owns (what a controller wants). */
  readonly force: boolean;
  /** Apply to a subresource, e.g. `status`. */
  readonly subresource?: string;
}

/**
 * Server-side apply: sends the complete desired state we own. `apiVersion` and `kind` are filled
 * in from `rt` when missing; the JSON body is valid YAML, which is what apply-patch expects.
 */
export async function serverSideApply<T extends KubeRawObject = KubeRawObject>(
  client: KubeClient,
  rt: ResourceType,
  object: KubeRawObject,
  options: ApplyOptions,
): Promise<T> {
  const body = { ...object, apiVersion: object.apiVersion ?? apiVersionOf(rt), kind: object.kind ?? rt.kind };
  const response = await client.request<T>({
    method: 'PATCH',
    path: objectPath(rt, object.metadata.namespace, object.metadata.name, options.subresource),
    query: { fieldManager: options.fieldManager, force: options.force, dryRun: options.dryRun },
    body,
    contentType: 'application/apply-patch+yaml',
    ...signalOf(options),
  });
  return response.body;
}

/** JSON merge patch (RFC 7386): `null` deletes a field, lists are replaced whole. */
export async function mergePatch<T extends KubeRawObject = KubeRawObject>(
  client: KubeClient,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  patch: Record<string, unknown>,
  subresource?: string,
  options: WriteOptions & { readonly fieldManager?: string } = {},
): Promise<T> {
  return sendPatch<T>(
    client,
    objectPath(rt, namespace, name, subresource),
    patch,
    'application/merge-patch+json',
    options,
  );
}

/** One RFC 6902 operation; `test` makes the whole patch conditional. */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** JSON patch (RFC 6902), e.g. to remove one finalizer guarded by a `test` operation. */
export async function jsonPatch<T extends KubeRawObject = KubeRawObject>(
  client: KubeClient,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  operations: readonly JsonPatchOperation[],
  subresource?: string,
  options: WriteOptions & { readonly fieldManager?: string } = {},
): Promise<T> {
  return sendPatch<T>(
    client,
    objectPath(rt, namespace, name, subresource),
    operations,
    'application/json-patch+json',
    options,
  );
}

/** The one PATCH request behind merge and JSON patches. */
async function sendPatch<T>(
  client: KubeClient,
  path: string,
  body: unknown,
  contentType: string,
  options: WriteOptions & { readonly fieldManager?: string },
): Promise<T> {
  const response = await client.request<T>({
    method: 'PATCH',
    path,
    query: { fieldManager: options.fieldManager, dryRun: options.dryRun },
    body,
    contentType,
    ...signalOf(options),
  });
  return response.body;
}

export async function createObject<T extends KubeRawObject = KubeRawObject>(
  client: KubeClient,
  rt: ResourceType,
  object: KubeRawObject,
  options: WriteOptions & { readonly fieldManager?: string } = {},
): Promise<T> {
  const body = { ...object, apiVersion: object.apiVersion ?? apiVersionOf(rt), kind: object.kind ?? rt.kind };
  const response = await client.request<T>({
    method: 'POST',
    path: collectionPath(rt, object.metadata.namespace),
    query: { fieldManager: options.fieldManager, dryRun: options.dryRun },
    body,
    ...signalOf(options),
  });
  return response.body;
}

export interface DeleteOptions extends WriteOptions {
  /** Delete only this incarnation of the object (409 Conflict if the name now has another uid). */
  readonly uid?: string;
  /** Delete only if unchanged since this resourceVersion. */
  readonly resourceVersion?: string;
  /** Default `Background`: return at once, the garbage collector removes dependents. */
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/** Deletes an object; returns false when it was already gone (404). Other failures throw. */
export async function deleteObject(
  client: KubeClient,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions = {},
): Promise<boolean> {
  const preconditions = {
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion }),
  };
  try {
    await client.request<unknown>({
      method: 'DELETE',
      path: objectPath(rt, namespace, name),
      query: { dryRun: options.dryRun },
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: options.propagationPolicy ?? 'Background',
        ...(Object.keys(preconditions).length === 0 ? {} : { preconditions }),
      },
      ...signalOf(options),
    });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function signalOf(options: WriteOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
