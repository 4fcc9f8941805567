import type { ContainerModule } from 'inversify';
import type { SettingDeclaration } from '../sdk/driver.ts';
import { GATEWAY_API_SETTINGS } from '../../drivers/gateway-api/gateway-api-settings.ts';
import { ISTIO_SETTINGS } from '../../drivers/istio/istio-settings.ts';
import { SIMPLE_INGRESS_SETTINGS } from '../../drivers/simple-ingress/simple-ingress-settings.ts';

/**
 * The built-in drivers. Only their setting declarations are loaded eagerly (for --help and
 * settings validation); a driver's code is imported only when the settings select it.
 */
export interface DriverCatalogEntry {
  readonly id: string;
  readonly description: string;
  readonly settings: readonly SettingDeclaration[];
  readonly load: () => Promise<ContainerModule>;
}

export const BUILTIN_DRIVERS: readonly DriverCatalogEntry[] = [
  {
    id: 'istio',
    description: 'Istio VirtualService per API (default)',
    settings: ISTIO_SETTINGS,
    load: async () => (await import('../../drivers/istio/index.ts')).istioDriverModule,
  },
  {
    id: 'simple-ingress',
    description: 'Kubernetes Ingress per API',
    settings: SIMPLE_INGRESS_SETTINGS,
    load: async () => (await import('../../drivers/simple-ingress/index.ts')).simpleIngressDriverModule,
  },
  {
    id: 'gateway-api',
    description: 'Gateway API HTTPRoute per API on a parent Gateway',
    settings: GATEWAY_API_SETTINGS,
    load: async () => (await import('../../drivers/gateway-api/index.ts')).gatewayApiDriverModule,
  },
];
