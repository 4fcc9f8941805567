import type { ObjectRef, RawSettings, SettingDeclaration } from '../../core/sdk/index.ts';
import { parseHostname, parseLabelSelector, parseObjectRef, required } from '../../core/sdk/index.ts';

export interface IstioSettings {
  /** Istio Gateway the VirtualServices bind to (`name` or `namespace/name`). */
  readonly gateway: ObjectRef;
  /** Host of the VirtualServices and of published URLs; `*` when unset. */
  readonly publicHostname?: string;
  /** Labels of the ingress gateway Service whose load-balancer address is published. */
  readonly gatewaySelector: Readonly<Record<string, string>>;
}

export const ISTIO_SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'componentGateway',
    env: ['ODA_API_OPERATOR_COMPONENT_GATEWAY', 'APIOPERATORISTIO_COMPONENTGATEWAY'],
    flag: 'component-gateway',
    description: 'Istio Gateway of the VirtualServices, "name" or "namespace/name"',
    default: 'component-gateway',
  },
  {
    key: 'gatewaySelector',
    env: ['ODA_API_OPERATOR_GATEWAY_SELECTOR'],
    flag: 'gateway-selector',
    description: 'label selector of the ingress gateway Service whose address is published in URLs',
    default: 'istio=ingressgateway',
  },
];

export function parseIstioSettings(raw: RawSettings): IstioSettings {
  const publicHostname = raw.publicHostname;
  return {
    gateway: parseObjectRef('componentGateway', required(raw, 'componentGateway')),
    gatewaySelector: parseLabelSelector('gatewaySelector', required(raw, 'gatewaySelector')),
    ...(publicHostname === undefined || publicHostname.trim() === ''
      ? {}
      : { publicHostname: parseHostname('publicHostname', publicHostname) }),
  };
}
