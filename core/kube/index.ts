/** The Kubernetes access layer: REST paths, an HTTP client, typed writes, discovery and reflectors. */
export {
  apiVersionOf,
  collectionPath,
  endpointSliceType,
  eventType,
  groupVersionPath,
  leaseType,
  namespaceType,
  objectPath,
  qualifiedResource,
  serviceType,
  type ResourceType,
} from './resource-type.ts';
export {
  asKubeStatus,
  isKubeRawObject,
  type KubeRawList,
  type KubeRawObject,
  type KubeStatus,
  type RawObjectMeta,
  type RawOwnerReference,
  type WatchEvent,
  type WatchEventType,
} from './raw-object.ts';
export {
  isAborted,
  isConflict,
  isGone,
  isKubeApiError,
  isNotFound,
  KubeApiError,
  type NetworkFailure,
} from './kube-api-error.ts';
export {
  createKubeClient,
  type ClosableKubeClient,
  type HttpMethod,
  type KubeClient,
  type KubeClientOptions,
  type KubeRequest,
  type KubeResponse,
  type Query,
  type QueryValue,
} from './kube-client.ts';
export {
  createObject,
  deleteObject,
  jsonPatch,
  mergePatch,
  serverSideApply,
  type ApplyOptions,
  type DeleteOptions,
  type JsonPatchOperation,
  type WriteOptions,
} from './kube-writes.ts';
export { discoverResources } from './discovery.ts';
export { listAll, listPages, type ListPage, type ListPagesOptions } from './list-pager.ts';
export {
  Reflector,
  type CacheChange,
  type ReflectorOptions,
  type ReflectorRestart,
  type RestartReason,
} from './reflector.ts';
export { Backoff, type BackoffOptions } from './backoff.ts';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.ts';
export { realTimers, sleep, type Timers } from './timers.ts';
export { errorFields, silentLogger, type KubeLogger } from './kube-logger.ts';
