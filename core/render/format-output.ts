import { stringify } from 'yaml';
import type { KubeObject } from '../sdk/kube-object.ts';

export type OutputFormat = 'yaml' | 'json';

/** Multi-document YAML, or a `v1` `List` in JSON. */
export function formatObjects(objects: readonly KubeObject[], format: OutputFormat): string {
  if (format === 'json') {
    return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  }
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
