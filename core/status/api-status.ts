import type { Problem } from '../model/problems.ts';
import { summarizeProblems } from '../model/problems.ts';
import type { ApiModel } from '../sdk/api-model.ts';
import type { DriverCondition } from '../sdk/conditions.ts';
import { ConditionType, Reason } from '../sdk/conditions.ts';
import type { JsonObject, JsonValue } from '../sdk/json.ts';
import { isJsonObject } from '../sdk/json.ts';
import { jsonEqual } from '../model/json-equal.ts';
import type { ApiUrls } from './api-url.ts';
import type { Condition, ConditionInput } from './conditions.ts';
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

/** The owned part of the status to write, keeping transition times of unchanged conditions. */
export function desiredStatus(
  f: StatusFacts,
  previous: JsonObject | undefined,
  now: string,
  observedGeneration = f.generation,
): OwnedStatus {
  const conditions = mergeConditions(
    readConditions(previous?.conditions),
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
 * undefined when nothing differs (no write). Fields of `apiStatus` no longer wanted are nulled;
 * fields of status owned by others are left alone.
 */
export function statusMergePatch(current: JsonObject | undefined, desired: OwnedStatus): JsonObject | undefined {
  const patch: Record<string, JsonValue> = {};
  const currentApi = isJsonObject(current?.apiStatus) ? current.apiStatus : {};
  const apiPatch: Record<string, JsonValue> = {};
  for (const key of new Set([...Object.keys(currentApi), ...Object.keys(desired.apiStatus)])) {
    const want = desired.apiStatus[key];
    if (currentApi[key] !== want) apiPatch[key] = want ?? null;
  }
  if (Object.keys(apiPatch).length > 0) patch.apiStatus = apiPatch;
  const currentImpl = isJsonObject(current?.implementation) ? current.implementation : {};
  if (currentImpl.ready !== desired.implementation.ready)
    patch.implementation = { ready: desired.implementation.ready };
  if (!jsonEqual(current?.conditions ?? [], desired.conditions)) patch.conditions = desired.conditions;
  if (
    (current?.observedGeneration ?? undefined) !== desired.observedGeneration &&
    desired.observedGeneration !== undefined
  ) {
    patch.observedGeneration = desired.observedGeneration;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
