import type { SettingDeclaration } from '../sdk/driver.ts';

/** Settings of the core, whatever the driver. ODA Canvas names are accepted as environment aliases. */
export const CORE_SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'driver',
    env: ['ODA_API_OPERATOR_DRIVER'],
    flag: 'driver',
    description: 'gateway driver: istio or simple-ingress',
    default: 'istio',
  },
  {
    key: 'namespaces',
    env: ['ODA_API_OPERATOR_NAMESPACES', 'COMPONENT_NAMESPACES'],
    flag: 'namespaces',
    description: 'namespaces watched, comma list with * and ? globs; "*" alone means all',
    default: 'components,odacompns-*',
  },
  {
    key: 'publicHostname',
    env: ['ODA_API_OPERATOR_PUBLIC_HOSTNAME', 'APIOPERATORISTIO_PUBLICHOSTNAME'],
    flag: 'public-hostname',
    description: 'public host name used in routes and URLs instead of the gateway address',
  },
  {
    key: 'openMetricsImplementation',
    env: ['ODA_API_OPERATOR_OPENMETRICS_IMPLEMENTATION', 'OPENMETRICS_IMPLEMENTATION'],
    flag: 'openmetrics-implementation',
    description: 'how metrics APIs are wired for scraping: ServiceMonitor',
    default: 'ServiceMonitor',
  },
  {
    key: 'urlScheme',
    env: ['ODA_API_OPERATOR_URL_SCHEME'],
    flag: 'url-scheme',
    description: 'scheme of published URLs: https or http',
    default: 'https',
  },
  {
    key: 'logLevel',
    env: ['ODA_API_OPERATOR_LOG_LEVEL', 'LOGGING'],
    flag: 'log-level',
    description: 'trace, debug, info, warn, error, fatal or silent; Python numeric levels (10, 20, ...) accepted',
    default: 'info',
  },
  {
    key: 'kubeconfig',
    env: ['KUBECONFIG'],
    flag: 'kubeconfig',
    description: 'kubeconfig file; in-cluster configuration when unset',
  },
];
