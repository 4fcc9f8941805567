/**
 * Kubernetes objects as they come off the wire: only `metadata` is typed, the rest is left for
 * the projection or normalization that reads it.
 */
export interface RawOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface RawObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: RawOwnerReference[];
  deletionTimestamp?: string;
  [key: string]: unknown;
}

export interface KubeRawObject {
  apiVersion?: string;
  kind?: string;
  metadata: RawObjectMeta;
  [key: string]: unknown;
}

/** The envelope of a list response. */
export interface KubeRawList {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: unknown[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * One line of a watch stream. `object` is a {@link KubeRawObject} except for `ERROR`, where it is
 * a `Status` (see {@link KubeStatus}); it is left `unknown` so every consumer checks its shape.
 */
export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

/** `metav1.Status`, the body of API errors and of watch `ERROR` events. */
export interface KubeStatus {
  kind?: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` has the minimum the cache relies on: `metadata.name` as a non-empty string. */
export function isKubeRawObject(value: unknown): value is KubeRawObject {
  if (!isRecord(value) || !isRecord(value.metadata)) return false;
  const { name, namespace, resourceVersion } = value.metadata;
  return (
    typeof name === 'string' &&
    name !== '' &&
    (namespace === undefined || typeof namespace === 'string') &&
    (resourceVersion === undefined || typeof resourceVersion === 'string')
  );
}

export function isKubeRawList(value: unknown): value is KubeRawList {
  return isRecord(value) && isRecord(value.metadata) && Array.isArray(value.items);
}

const watchEventTypes: ReadonlySet<string> = new Set<WatchEventType>([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

export function isWatchEvent(value: unknown): value is WatchEvent {
  return isRecord(value) && typeof value.type === 'string' && watchEventTypes.has(value.type) && 'object' in value;
}

/** A `Status` object (also accepts a bare `{ code, reason }` shape some proxies send). */
export function asKubeStatus(value: unknown): KubeStatus | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind !== 'Status' && typeof value.code !== 'number') return undefined;
  return {
    ...(typeof value.status === 'string' ? { status: value.status } : {}),
    ...(typeof value.message === 'string' ? { message: value.message } : {}),
    ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
    ...(typeof value.code === 'number' ? { code: value.code } : {}),
    ...(value.details !== undefined ? { details: value.details } : {}),
    kind: 'Status',
  };
}
