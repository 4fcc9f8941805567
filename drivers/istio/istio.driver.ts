import type { Driver } from '../../core/sdk/index.ts';
import { SERVICE_MONITOR_KIND, formatObjectRef } from '../../core/sdk/index.ts';
import type { IstioSettings } from './istio-settings.ts';
import { ISTIO_SETTINGS, parseIstioSettings } from './istio-settings.ts';
import { ISTIO_DRIVER_ID, VIRTUAL_SERVICE_KIND, translateIstio } from './virtual-service.translate.ts';

/** Istio driver: APIs become VirtualServices on the component gateway. The default driver. */
export const istioDriver: Driver<IstioSettings> = {
  id: ISTIO_DRIVER_ID,
  description: 'Istio VirtualService per API on the component gateway',
  ownedKinds: [VIRTUAL_SERVICE_KIND, SERVICE_MONITOR_KIND],
  settings: ISTIO_SETTINGS,
  parseSettings: parseIstioSettings,
  translate: translateIstio,
  addressSource: (settings) => ({ type: 'service', selector: settings.gatewaySelector }),
  routeClaim: (_api, settings) => ({
    gateway: formatObjectRef(settings.gateway),
    host: settings.publicHostname ?? '*',
  }),
};
