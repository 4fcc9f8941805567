import type { DriverCondition, ObservedObject } from 'oda-api-operator/sdk';
import { isStale, readObservedConditions } from 'oda-api-operator/sdk';

/**
 * `RouteProgrammed`, from the ApiRoute's `Programmed` condition (written by the gateway). While it
 * is not True, the operator keeps the API's Ready condition False. Pure, and never throws: `route`
 * is whatever the cluster holds.
 */
export function routeStatusConditions(route: ObservedObject): DriverCondition[] {
  const programmed = readObservedConditions(route.status.conditions).find((c) => c.type === 'Programmed');
  if (programmed === undefined || isStale(programmed, route.generation)) {
    return [
      {
        type: 'RouteProgrammed',
        status: 'Unknown',
        reason: 'Pending',
        message: `waiting for the gateway to program ApiRoute ${route.namespace}/${route.name}`,
      },
    ];
  }
  return [
    {
      type: 'RouteProgrammed',
      status: programmed.status,
      reason: /^[A-Za-z][A-Za-z0-9]*$/.test(programmed.reason) ? programmed.reason : 'Unspecified',
      message: programmed.message.slice(0, 1024),
    },
  ];
}
