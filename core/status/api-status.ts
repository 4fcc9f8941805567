import type { Problem } from '../model/problems.ts';
import { summarizeProblems } from '../model/problems.ts';
import type { ApiModel } from '../sdk/api-model.ts';
import { jsonDigest } from '../model/digest.ts';
import type { DriverCondition } from '../sdk/conditions.ts';
import { ConditionType, Reason } from '../sdk/conditions.ts';
import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import type { ApiUrls } from './api-url.ts';
import type { Condition, ConditionInput, ConditionTransition } from './conditions.ts';
import { mergeConditions, readConditions } from './conditions.ts';
import type { GatewayAddress } from './gateway-address.ts';

/** Everything the status of one API object is computed from. */
export interface StatusFacts {
  readonly name: string;
  readonly generation?: number;
  /** The valid model, or the problems that made the spec invalid. */
  readonly api?: ApiModel;
  readonly problems?: readonly Problem[];
  /** Set when an older API holds an overlapping path: who, in words. */
  readonly conflictWith?: string;
  readonly applyError?: string;
  /** uid of the route object (VirtualService, Ingress, ...) once it exists. */
  readonly routeUid?: string;
  readonly urls: ApiUrls;
  readonly address?: GatewayAddress;
  readonly implementationReady: boolean;
  readonly driverConditions: readonly DriverCondition[];
  /** What the driver read from the live route (`Driver.routeConditions`); each gates Ready. */
  readonly routeConditions?: readonly DriverCondition[];
}

/** True unless a route condition is not `True` (e.g. the gateway has not accepted the route). */
export function routeAccepted(f: Pick<StatusFacts, 'routeConditions'>): boolean {
  return (f.routeConditions ?? []).every((c) => c.status === 'True');
}

/** The fields of `status` this operator owns. */
export interface OwnedStatus {
  readonly apiStatus: Readonly<Record<string, string | number>>;
  readonly implementation: { readonly ready: boolean };
  readonly conditions: readonly Condition[];
  readonly observedGeneration?: number;
}

function readyCondition(f: StatusFacts): ConditionInput {
  const no = (reason: string, message: string): ConditionInput => ({
    type: ConditionType.Ready,
    status: 'False',
    reason,
    message,
  });
  if (f.api === undefined) return no(Reason.InvalidSpec, summarizeProblems(f.problems ?? []));
  if (f.conflictWith !== undefined) return no(Reason.PathConflict, f.conflictWith);
  if (f.applyError !== undefined) return no(Reason.ApplyFailed, f.applyError);
  const pending = f.routeConditions?.find((c) => c.status !== 'True');
  if (pending !== undefined) {
    return no(Reason.RouteNotAccepted, `${pending.type} is ${pending.status} (${pending.reason}): ${pending.message}`);
  }
  if (f.urls.url === undefined)
    return no(
      Reason.GatewayAddressPending,
      'the gateway has no published address yet; the URL follows as soon as it has one',
    );
  if (!f.implementationReady)
    return no(Reason.ImplementationNotReady, `Service ${f.api.implementation} has no ready endpoint`);
  return { type: ConditionType.Ready, status: 'True', reason: Reason.Ready, message: `served at ${f.urls.url}` };
}

function apiStatusOf(f: StatusFacts): Record<string, string | number> {
  const out: Record<string, string | number> = { name: f.name };
  const api = f.api;
  if (api === undefined) return out;
  Object.assign(out, { path: api.path, port: api.port, implementation: api.implementation });
  if (f.conflictWith !== undefined) return out;
  if (f.routeUid !== undefined) out.uid = f.routeUid;
  if (f.urls.url !== undefined) out.url = f.urls.url;
  if (f.urls.developerUI !== undefined) out.developerUI = f.urls.developerUI;
  if (f.address !== undefined) out.ip = f.address.host;
  return out;
}

/** `status.conditions` is a map keyed by type: a type a driver repeats is written once (the first). */
function firstOfEachType(conditions: readonly ConditionInput[]): ConditionInput[] {
  return conditions.filter((c, i) => conditions.findIndex((d) => d.type === c.type) === i);
}

/**
 * What a cache keeps of an API's status: enough to decide whether to write and what, at a
 * fraction of the size of the status itself (10 000 APIs: about 5 MiB less).
 */
export interface StatusMemo {
  /** Digest of the owned fields but `observedGeneration`: `apiStatus`, `implementation.ready`, `conditions`. */
  readonly digest: string;
  /** The keys of `apiStatus`, comma-separated (those no longer wanted are nulled). */
  readonly apiStatusKeys: string;
  /** Each condition's type, status and transition time (kept while its status stays). */
  readonly transitions: readonly ConditionTransition[];
  readonly observedGeneration: number | undefined;
}

function digestOf(apiStatus: unknown, ready: unknown, conditions: unknown): string {
  return jsonDigest([apiStatus, ready ?? null, conditions ?? []]);
}

/** The memo of a status read from the server (undefined: no status yet). */
export function statusMemo(status: JsonObject | undefined): StatusMemo | undefined {
  if (status === undefined) return undefined;
  const apiStatus = isJsonObject(status.apiStatus) ? status.apiStatus : {};
  const ready = isJsonObject(status.implementation) ? status.implementation.ready : undefined;
  return {
    digest: digestOf(apiStatus, ready, status.conditions),
    apiStatusKeys: Object.keys(apiStatus).sort().join(','),
    transitions: readConditions(status.conditions).map(({ type, status: s, lastTransitionTime }) => ({
      type,
      status: s,
      lastTransitionTime,
    })),
    observedGeneration: typeof status.observedGeneration === 'number' ? status.observedGeneration : undefined,
  };
}

/** The owned part of the status to write, keeping transition times of unchanged conditions. */
export function desiredStatus(
  f: StatusFacts,
  previous: StatusMemo | undefined,
  now: string,
  observedGeneration = f.generation,
): OwnedStatus {
  const conditions = mergeConditions(
    previous?.transitions ?? [],
    firstOfEachType([readyCondition(f), ...f.driverConditions, ...(f.routeConditions ?? [])]),
    now,
    observedGeneration,
  );
  return {
    apiStatus: apiStatusOf(f),
    implementation: { ready: f.api !== undefined && f.implementationReady },
    conditions,
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
  };
}

/**
 * A JSON merge patch for `status` turning `current` into `desired` for the owned fields, or
 * undefined when nothing differs (no write). When they differ every owned field is written, and
 * fields of `apiStatus` no longer wanted are nulled; fields of status owned by others are left alone.
 */
export function statusMergePatch(current: StatusMemo | undefined, desired: OwnedStatus): JsonObject | undefined {
  const patch: Record<string, JsonValue> = {};
  if (current?.digest !== digestOf(desired.apiStatus, desired.implementation.ready, desired.conditions)) {
    const apiStatus: Record<string, JsonValue> = { ...desired.apiStatus };
    for (const key of current?.apiStatusKeys.split(',') ?? [])
      if (key !== '' && !(key in apiStatus)) apiStatus[key] = null;
    patch.apiStatus = apiStatus;
    patch.implementation = { ready: desired.implementation.ready };
    patch.conditions = desired.conditions;
  }
  if (desired.observedGeneration !== undefined && current?.observedGeneration !== desired.observedGeneration) {
    patch.observedGeneration = desired.observedGeneration;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
