import type { ApiModel } from '../sdk/api-model.ts';
import type { GatewayAddress } from './gateway-address.ts';

export interface UrlSettings {
  readonly scheme: 'http' | 'https';
  readonly publicHostname?: string;
}

export interface ApiUrls {
  readonly url?: string;
  readonly developerUI?: string;
}

/**
 * `<scheme>://<spec.hostname | public hostname | gateway address>[:port]<path>` (contract §3).
 * Without any host the URL is unknown; it appears as soon as an address does.
 */
export function apiUrls(
  api: Pick<ApiModel, 'hostname' | 'path' | 'developerUI'>,
  settings: UrlSettings,
  address?: GatewayAddress,
): ApiUrls {
  const host = api.hostname ?? settings.publicHostname ?? address?.host;
  if (host === undefined) return {};
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const port = address?.port === undefined ? '' : `:${address.port}`;
  const base = `${settings.scheme}://${shownHost}${port}`;
  return {
    url: `${base}${api.path}`,
    ...(api.developerUI === undefined ? {} : { developerUI: `${base}${api.developerUI}` }),
  };
}
