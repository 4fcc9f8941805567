import type { RawSettings, SettingDeclaration } from '../../core/sdk/index.ts';
import { SettingsError, parseHostname, parseObjectRef, parseResourceName, required } from '../../core/sdk/index.ts';

/** The Gateway every HTTPRoute attaches to. */
export interface ParentGateway {
  readonly namespace: string;
  readonly name: string;
  /** Listener of the Gateway (`parentRefs[].sectionName`); any listener when unset. */
  readonly sectionName?: string;
}

export interface GatewayApiSettings {
  readonly parent: ParentGateway;
  /** Host name of the routes when an API names none; every host when unset. */
  readonly publicHostname?: string;
}

export const GATEWAY_API_SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'gatewayApiParent',
    env: ['ODA_API_OPERATOR_GATEWAY_API_PARENT'],
    flag: 'gateway-api-parent',
    description: 'parent Gateway of the HTTPRoutes, "namespace/name"; its status.addresses give the URL',
    default: 'gateway-system/component-gateway',
  },
  {
    key: 'gatewayApiSectionName',
    env: ['ODA_API_OPERATOR_GATEWAY_API_SECTION_NAME'],
    flag: 'gateway-api-section-name',
    description: 'listener of the parent Gateway the HTTPRoutes attach to (sectionName); any listener when unset',
  },
];

export function parseGatewayApiSettings(raw: RawSettings): GatewayApiSettings {
  const ref = parseObjectRef('gatewayApiParent', required(raw, 'gatewayApiParent'));
  if (ref.namespace === undefined) {
    throw new SettingsError('gatewayApiParent', `must be "namespace/name", got ${JSON.stringify(ref.name)}`);
  }
  const section = raw.gatewayApiSectionName?.trim();
  const host = raw.publicHostname?.trim();
  return {
    parent: {
      namespace: ref.namespace,
      name: ref.name,
      ...(section ? { sectionName: parseResourceName('gatewayApiSectionName', section) } : {}),
    },
    ...(host ? { publicHostname: parseHostname('publicHostname', host) } : {}),
  };
}
