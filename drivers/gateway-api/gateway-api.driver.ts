import type { Driver, KindRef } from '../../core/sdk/index.ts';
import { SDK_VERSION, SERVICE_MONITOR_KIND } from '../../core/sdk/index.ts';
import { gatewayAddress } from './gateway-address.ts';
import type { GatewayApiSettings } from './gateway-api-settings.ts';
import { GATEWAY_API_SETTINGS, parseGatewayApiSettings } from './gateway-api-settings.ts';
import {
  GATEWAY_API_DRIVER_ID,
  GATEWAY_API_GROUP,
  HTTP_ROUTE_KIND,
  routeHost,
  translateGatewayApi,
} from './http-route.translate.ts';
import { routeConditions } from './route-conditions.ts';

export const GATEWAY_KIND: KindRef = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'Gateway', plural: 'gateways' };

/**
 * Kubernetes Gateway API driver: one HTTPRoute per API on a configured parent Gateway. The URL
 * comes from the Gateway's status, and the API is Ready only once the Gateway accepted the route.
 */
export const gatewayApiDriver: Driver<GatewayApiSettings> = {
  id: GATEWAY_API_DRIVER_ID,
  description: 'Gateway API HTTPRoute per API on a parent Gateway',
  ownedKinds: [HTTP_ROUTE_KIND, SERVICE_MONITOR_KIND],
  settings: GATEWAY_API_SETTINGS,
  sdkVersion: SDK_VERSION,
  parseSettings: parseGatewayApiSettings,
  translate: translateGatewayApi,
  addressSource: (settings) => ({
    type: 'object',
    kind: GATEWAY_KIND,
    namespace: settings.parent.namespace,
    name: settings.parent.name,
    read: (gateway) => gatewayAddress(gateway, settings.parent.sectionName),
  }),
  routeClaim: (api, settings) => ({
    gateway: `gateway/${settings.parent.namespace}/${settings.parent.name}/${settings.parent.sectionName ?? ''}`,
    host: routeHost(api, settings) ?? '*',
  }),
  routeConditions: (route, settings) => routeConditions(route, settings.parent),
};
