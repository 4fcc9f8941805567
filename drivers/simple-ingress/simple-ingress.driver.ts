import type { Driver } from '../../core/sdk/index.ts';
import { SERVICE_MONITOR_KIND } from '../../core/sdk/index.ts';
import type { SimpleIngressSettings } from './simple-ingress-settings.ts';
import { SIMPLE_INGRESS_SETTINGS, parseSimpleIngressSettings } from './simple-ingress-settings.ts';
import { INGRESS_KIND, SIMPLE_INGRESS_DRIVER_ID, translateSimpleIngress } from './ingress.translate.ts';

/** Kubernetes Ingress driver (the ODA Canvas "SimpleIngress" operator's output). */
export const simpleIngressDriver: Driver<SimpleIngressSettings> = {
  id: SIMPLE_INGRESS_DRIVER_ID,
  description: 'Kubernetes networking.k8s.io/v1 Ingress per API',
  ownedKinds: [INGRESS_KIND, SERVICE_MONITOR_KIND],
  settings: SIMPLE_INGRESS_SETTINGS,
  parseSettings: parseSimpleIngressSettings,
  translate: translateSimpleIngress,
  addressSource: () => ({ type: 'route-status', kind: INGRESS_KIND }),
  routeClaim: (api, settings) => ({ gateway: `ingressclass/${settings.ingressClass}`, host: api.hostname ?? '*' }),
};
