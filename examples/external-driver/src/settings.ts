import type { RawSettings, SettingDeclaration } from 'oda-api-operator/sdk';
import { parseHostname, parseResourceName, required } from 'oda-api-operator/sdk';

/** What `parseSettings` returns; the driver's other functions receive it. */
export interface ApiRouteSettings {
  /** The gateway instance that serves the routes (`spec.gateway`). */
  readonly gateway: string;
  /** Host of the routes when an API names none (the core setting `publicHostname`). */
  readonly publicHostname?: string;
}

/** Declared settings become config-file keys, environment variables and flags of the operator. */
export const API_ROUTE_SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'exampleGateway',
    env: ['EXAMPLE_GATEWAY'],
    flag: 'example-gateway',
    description: 'the Example gateway instance that serves the routes',
    default: 'shared',
  },
];

/** Runs once at start; a bad value throws `SettingsError` naming the setting (exit code 2). */
export function parseApiRouteSettings(raw: RawSettings): ApiRouteSettings {
  const publicHostname = raw.publicHostname?.trim();
  return {
    gateway: parseResourceName('exampleGateway', required(raw, 'exampleGateway')),
    ...(publicHostname ? { publicHostname: parseHostname('publicHostname', publicHostname) } : {}),
  };
}
