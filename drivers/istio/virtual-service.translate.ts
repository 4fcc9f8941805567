import type { KubeObject, OwnedKind, TranslateInput, TranslateOutput } from '../../core/sdk/index.ts';
import { formatObjectRef, metricsOutputs, outputMetadata, unsupportedPolicies } from '../../core/sdk/index.ts';
import type { IstioSettings } from './istio-settings.ts';

export const VIRTUAL_SERVICE_KIND: OwnedKind = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  plural: 'virtualservices',
};

export const ISTIO_DRIVER_ID = 'istio';

/** One VirtualService per API (contract §2.1), plus the ServiceMonitor of a metrics API. */
export function translateIstio(input: TranslateInput<IstioSettings>): TranslateOutput {
  const metrics = metricsOutputs(input);
  return {
    objects: [virtualService(input), ...metrics.objects],
    conditions: [...metrics.conditions, ...unsupportedPolicies(input.api, ISTIO_DRIVER_ID)],
  };
}

function virtualService(input: TranslateInput<IstioSettings>): KubeObject {
  const { api, settings } = input;
  return {
    apiVersion: VIRTUAL_SERVICE_KIND.apiVersion,
    kind: VIRTUAL_SERVICE_KIND.kind,
    metadata: outputMetadata(input),
    spec: {
      gateways: [formatObjectRef(settings.gateway)],
      hosts: [settings.publicHostname ?? '*'],
      http: [
        {
          match: [{ uri: { prefix: api.path } }],
          route: [{ destination: { host: api.implementation, port: { number: api.port } } }],
        },
      ],
    },
  };
}
