import type {
  ApiModel,
  DriverCondition,
  JsonObject,
  KubeObject,
  OwnedKind,
  TranslateInput,
  TranslateOutput,
} from '../../core/sdk/index.ts';
import { ConditionType, metricsOutputs, outputMetadata, unsupportedPolicies } from '../../core/sdk/index.ts';
import type { GatewayApiSettings, ParentGateway } from './gateway-api-settings.ts';

export const GATEWAY_API_DRIVER_ID = 'gateway-api';
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export const HTTP_ROUTE_KIND: OwnedKind = {
  apiVersion: `${GATEWAY_API_GROUP}/v1`,
  kind: 'HTTPRoute',
  plural: 'httproutes',
};

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** One HTTPRoute per API on the parent Gateway, plus the ServiceMonitor of a metrics API. */
export function translateGatewayApi(input: TranslateInput<GatewayApiSettings>): TranslateOutput {
  const metrics = metricsOutputs(input);
  const host = input.api.hostname ?? input.settings.publicHostname;
  const hostIsAddress = host !== undefined && IPV4.test(host);
  return {
    objects: [httpRoute(input, routeHost(input.api, input.settings)), ...metrics.objects],
    conditions: [...metrics.conditions, ...unsupported(input, hostIsAddress ? host : undefined)],
  };
}

/** The route's host name: the API's, else the public host name; none (any host) for an IP address. */
export function routeHost(api: ApiModel, settings: GatewayApiSettings): string | undefined {
  const host = api.hostname ?? settings.publicHostname;
  return host === undefined || IPV4.test(host) ? undefined : host;
}

/** The policies not enforced and an IP address given as host name, in one `Unsupported` condition. */
function unsupported(input: TranslateInput<GatewayApiSettings>, addressHost: string | undefined): DriverCondition[] {
  const policies = unsupportedPolicies(input.api, GATEWAY_API_DRIVER_ID);
  if (addressHost === undefined) return policies;
  const message = `host ${addressHost} is an IP address and HTTPRoute hostnames are DNS names: the route matches every host`;
  const [first] = policies;
  return [
    first === undefined
      ? { type: ConditionType.Unsupported, status: 'True', reason: 'HostnameIsAnAddress', message }
      : { ...first, message: `${first.message}; ${message}` },
  ];
}

/** `parentRefs[]` entry naming the configured Gateway. */
export function parentRef(parent: ParentGateway): JsonObject {
  return {
    group: GATEWAY_API_GROUP,
    kind: 'Gateway',
    namespace: parent.namespace,
    name: parent.name,
    ...(parent.sectionName === undefined ? {} : { sectionName: parent.sectionName }),
  };
}

function httpRoute(input: TranslateInput<GatewayApiSettings>, host: string | undefined): KubeObject {
  const { api, settings } = input;
  return {
    apiVersion: HTTP_ROUTE_KIND.apiVersion,
    kind: HTTP_ROUTE_KIND.kind,
    metadata: outputMetadata(input),
    spec: {
      parentRefs: [parentRef(settings.parent)],
      ...(host === undefined ? {} : { hostnames: [host] }),
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: api.path } }],
          backendRefs: [{ name: api.implementation, port: api.port }],
        },
      ],
    },
  };
}
