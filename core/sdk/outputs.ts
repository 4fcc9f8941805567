import type { ApiModel } from './api-model.ts';
import { isMetricsApi } from './api-model.ts';
import type { DriverCondition } from './conditions.ts';
import { ConditionType, Reason } from './conditions.ts';
import type { ClusterView, TranslateInput } from './driver.ts';
import type { JsonValue } from './json.ts';
import type { KubeObject, ObjectMeta, OwnedKind } from './kube-object.ts';
import { kindKey } from './kube-object.ts';

/**
 * Metadata for an object that exposes `input.api`: the API object's name, namespace and labels,
 * and the owner reference when one is known. The core adds its ownership labels afterwards.
 */
export function outputMetadata(input: TranslateInput<unknown>): ObjectMeta {
  const { source } = input.api;
  return {
    name: source.name,
    namespace: source.namespace,
    labels: { ...source.labels },
    ...(input.owner === undefined ? {} : { ownerReferences: [input.owner] }),
  };
}

/** The Prometheus operator's ServiceMonitor, optional: declare it in `ownedKinds` to use `metricsOutputs`. */
export const SERVICE_MONITOR_KIND: OwnedKind = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  plural: 'servicemonitors',
  optional: true,
};

/**
 * The Prometheus-operator ServiceMonitor of a metrics API (`prometheus`/`openmetrics`), or a
 * `MetricsUnavailable` condition when the ServiceMonitor CRD is not installed. Empty for other APIs.
 */
export function metricsOutputs(input: TranslateInput<unknown>): {
  objects: KubeObject[];
  conditions: DriverCondition[];
} {
  const { api } = input;
  if (!isMetricsApi(api)) return { objects: [], conditions: [] };
  if (!serviceMonitorAvailable(input.cluster)) {
    return {
      objects: [],
      conditions: [
        {
          type: ConditionType.MetricsUnavailable,
          status: 'True',
          reason: Reason.ServiceMonitorCrdMissing,
          message:
            'the ServiceMonitor CRD (monitoring.coreos.com/v1) is not installed; metrics are routed but not scraped',
        },
      ],
    };
  }
  return { objects: [serviceMonitor(input, api)], conditions: [] };
}

function serviceMonitorAvailable(cluster: ClusterView): boolean {
  return cluster.availableKinds.has(kindKey(SERVICE_MONITOR_KIND));
}

function serviceMonitor(input: TranslateInput<unknown>, api: ApiModel): KubeObject {
  const endpoint: Record<string, JsonValue> = {
    path: api.path,
    interval: '15s',
    scheme: 'http',
    targetPort: api.port,
  };
  if (api.basicAuth !== undefined) endpoint.basicAuth = api.basicAuth;
  return {
    apiVersion: SERVICE_MONITOR_KIND.apiVersion,
    kind: SERVICE_MONITOR_KIND.kind,
    metadata: outputMetadata(input),
    spec: {
      selector: { matchLabels: { name: api.implementation } },
      endpoints: [endpoint],
    },
  };
}

/** `Unsupported` conditions for the enabled policies a driver does not enforce. */
export function unsupportedPolicies(
  api: ApiModel,
  driverId: string,
  supported: readonly string[] = [],
): DriverCondition[] {
  const p = api.policies;
  const asked: [string, boolean][] = [
    ['CORS', p.cors?.enabled === true],
    ['rateLimit', p.rateLimit?.enabled === true],
    ['quota', p.quota?.limit !== undefined],
    ['apiKeyVerification', p.apiKeyVerification?.enabled === true],
    [
      'OASValidation',
      p.oasValidation !== undefined && (p.oasValidation.requestEnabled || p.oasValidation.responseEnabled),
    ],
  ];
  const missing = asked.filter(([name, on]) => on && !supported.includes(name)).map(([name]) => name);
  if (missing.length === 0) return [];
  return [
    {
      type: ConditionType.Unsupported,
      status: 'True',
      reason: Reason.FeatureNotSupported,
      message: `spec.${missing.join(', spec.')}: not enforced by the ${driverId} driver`,
    },
  ];
}
