import type { DriverCondition, JsonObject, ObservedCondition, ObservedObject } from '../../core/sdk/index.ts';
import { isJsonObject, isStale, readObservedConditions } from '../../core/sdk/index.ts';
import type { ParentGateway } from './gateway-api-settings.ts';
import { GATEWAY_API_GROUP } from './http-route.translate.ts';

/** The HTTPRoute conditions reflected on the API, and the type each becomes there. */
const REFLECTED = [
  ['Accepted', 'RouteAccepted'],
  ['ResolvedRefs', 'RouteResolvedRefs'],
] as const;

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_MESSAGE = 1024;

/**
 * `RouteAccepted` and `RouteResolvedRefs` from the HTTPRoute's `status.parents[]` entry for the
 * configured Gateway (the first by controller name when several controllers report). A condition
 * that is missing or was computed for an older generation of the route is `Unknown` (`Pending`),
 * so the API is not Ready before the gateway accepted the current route. Pure.
 */
export function routeConditions(route: ObservedObject, parent: ParentGateway): DriverCondition[] {
  const entry = parentStatuses(route)
    .filter((p) => isJsonObject(p.parentRef) && refersTo(p.parentRef, route.namespace, parent))
    .sort((a, b) => ordinal(text(a.controllerName), text(b.controllerName)))[0];
  const observed = readObservedConditions(entry?.conditions);
  const gateway = `Gateway ${parent.namespace}/${parent.name}`;
  return REFLECTED.map(([type, as]) => {
    const found = observed.find((c) => c.type === type);
    return found === undefined || isStale(found, route.generation)
      ? {
          type: as,
          status: 'Unknown',
          reason: 'Pending',
          message: `waiting for the controller of ${gateway} to report ${type} for HTTPRoute ${route.namespace}/${route.name}`,
        }
      : reflect(as, found, gateway);
  });
}

function reflect(type: string, c: ObservedCondition, gateway: string): DriverCondition {
  const message = `${gateway}: ${c.message === '' ? c.reason : c.message}`;
  return {
    type,
    status: c.status,
    reason: REASON.test(c.reason) && c.reason.length <= 1024 ? c.reason : 'Unspecified',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message,
  };
}

function parentStatuses(route: ObservedObject): JsonObject[] {
  const parents = route.status.parents;
  return Array.isArray(parents) ? (parents as unknown[]).filter(isJsonObject) : [];
}

/** Whether a parentRef names the configured Gateway (and listener), applying the API's defaults. */
function refersTo(ref: JsonObject, routeNamespace: string, parent: ParentGateway): boolean {
  return (
    (ref.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP &&
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    ref.name === parent.name &&
    (ref.namespace ?? routeNamespace) === parent.namespace &&
    (ref.sectionName ?? undefined) === parent.sectionName
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Ordinal string order (as Kubernetes sorts), independent of the locale. */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
