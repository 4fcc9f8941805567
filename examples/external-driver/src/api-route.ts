import type { KubeObject, OwnedKind, TranslateInput, TranslateOutput } from 'oda-api-operator/sdk';
import { metricsOutputs, outputMetadata, unsupportedPolicies } from 'oda-api-operator/sdk';
import type { ApiRouteSettings } from './settings.ts';

export const DRIVER_ID = 'example-apiroute';

/** The gateway's own kind; its CRD is in crd/. */
export const API_ROUTE_KIND: OwnedKind = {
  apiVersion: 'routes.example.com/v1alpha1',
  kind: 'ApiRoute',
  plural: 'apiroutes',
};

/**
 * One ApiRoute per API, plus a ServiceMonitor for a metrics API; policies the gateway does not
 * enforce become an `Unsupported` condition. Pure: everything comes from `input`.
 */
export function translateApiRoute(input: TranslateInput<ApiRouteSettings>): TranslateOutput {
  const metrics = metricsOutputs(input);
  return {
    objects: [apiRoute(input), ...metrics.objects],
    conditions: [...metrics.conditions, ...unsupportedPolicies(input.api, DRIVER_ID)],
  };
}

function apiRoute(input: TranslateInput<ApiRouteSettings>): KubeObject {
  const { api, settings } = input;
  const host = api.hostname ?? settings.publicHostname;
  return {
    apiVersion: API_ROUTE_KIND.apiVersion,
    kind: API_ROUTE_KIND.kind,
    // The API's name, namespace, labels and owner reference: the core adds its ownership labels.
    metadata: outputMetadata(input),
    spec: {
      gateway: settings.gateway,
      ...(host === undefined ? {} : { host }),
      pathPrefix: api.path,
      backend: { service: api.implementation, port: api.port },
    },
  };
}
