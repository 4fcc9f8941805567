import type { JsonObject, KubeObject, OwnedKind, TranslateInput, TranslateOutput } from '../../core/sdk/index.ts';
import { metricsOutputs, outputMetadata, unsupportedPolicies } from '../../core/sdk/index.ts';
import type { SimpleIngressSettings } from './simple-ingress-settings.ts';

export const INGRESS_KIND: OwnedKind = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  plural: 'ingresses',
};

export const SIMPLE_INGRESS_DRIVER_ID = 'simple-ingress';

/** One Ingress per API (contract §2.2), plus the ServiceMonitor of a metrics API. */
export function translateSimpleIngress(input: TranslateInput<SimpleIngressSettings>): TranslateOutput {
  const metrics = metricsOutputs(input);
  return {
    objects: [ingress(input), ...metrics.objects],
    conditions: [...metrics.conditions, ...unsupportedPolicies(input.api, SIMPLE_INGRESS_DRIVER_ID)],
  };
}

function ingress(input: TranslateInput<SimpleIngressSettings>): KubeObject {
  const { api, settings } = input;
  const http: JsonObject = {
    paths: [
      {
        path: api.path,
        pathType: 'Prefix',
        backend: { service: { name: api.implementation, port: { number: api.port } } },
      },
    ],
  };
  return {
    apiVersion: INGRESS_KIND.apiVersion,
    kind: INGRESS_KIND.kind,
    metadata: outputMetadata(input),
    spec: {
      ingressClassName: settings.ingressClass,
      rules: [api.hostname === undefined ? { http } : { host: api.hostname, http }],
    },
  };
}
