import type { RawSettings, SettingDeclaration } from '../../core/sdk/index.ts';
import { parseResourceName, required } from '../../core/sdk/index.ts';

export interface SimpleIngressSettings {
  /** `spec.ingressClassName` of every Ingress. */
  readonly ingressClass: string;
}

export const SIMPLE_INGRESS_SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'ingressClass',
    env: ['ODA_API_OPERATOR_INGRESS_CLASS', 'INGRESS_CLASS'],
    flag: 'ingress-class',
    description: 'IngressClass of the Ingresses (spec.ingressClassName)',
    default: 'nginx',
  },
];

export function parseSimpleIngressSettings(raw: RawSettings): SimpleIngressSettings {
  return { ingressClass: parseResourceName('ingressClass', required(raw, 'ingressClass')) };
}
