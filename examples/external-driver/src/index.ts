import type { Driver } from 'oda-api-operator/sdk';
import { SDK_VERSION, SERVICE_MONITOR_KIND } from 'oda-api-operator/sdk';
import { API_ROUTE_KIND, DRIVER_ID, translateApiRoute } from './api-route.ts';
import { routeStatusConditions } from './route-status.ts';
import type { ApiRouteSettings } from './settings.ts';
import { API_ROUTE_SETTINGS, parseApiRouteSettings } from './settings.ts';

/**
 * The driver: load it with `driver: module:@example/oda-driver-apiroute` (installed next to the
 * operator) or `driver: module:./path/to/dist/index.js`.
 */
export const driver: Driver<ApiRouteSettings> = {
  id: DRIVER_ID,
  description: 'Example gateway: one routes.example.com ApiRoute per API',
  ownedKinds: [API_ROUTE_KIND, SERVICE_MONITOR_KIND],
  settings: API_ROUTE_SETTINGS,
  sdkVersion: SDK_VERSION,
  parseSettings: parseApiRouteSettings,
  translate: translateApiRoute,
  // The gateway writes each ApiRoute's address into its status.loadBalancer.ingress.
  addressSource: () => ({ type: 'route-status', kind: API_ROUTE_KIND }),
  // Two APIs on the same gateway instance and host must not claim overlapping paths.
  routeClaim: (api, settings) => ({
    gateway: `example/${settings.gateway}`,
    host: api.hostname ?? settings.publicHostname ?? '*',
  }),
  routeConditions: (route) => routeStatusConditions(route),
};

export default driver;
