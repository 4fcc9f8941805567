import { isApiObject, normalizeApi } from '../model/normalize.ts';
import { formatProblem, summarizeProblems } from '../model/problems.ts';
import type { ApiSource } from '../sdk/api-model.ts';
import type { DriverCondition } from '../sdk/conditions.ts';
import type { ClusterView } from '../sdk/driver.ts';
import type { KubeObject } from '../sdk/kube-object.ts';
import { kindKey } from '../sdk/kube-object.ts';
import type { ActiveDriver } from '../translate/active-driver.ts';
import { sourceRef } from '../translate/ownership.ts';
import { translateApi } from '../translate/translate-api.ts';
import type { InputDocument } from './read-inputs.ts';

export interface RenderResult {
  /** Desired objects in a stable order: namespace, name, apiVersion, kind. */
  readonly objects: readonly KubeObject[];
  /** One line per invalid input object: `<kind> <namespace>/<name>: <field>: <problem>[; <field>: <problem>]`. */
  readonly problems: readonly string[];
  /** Conditions the driver reported per API, e.g. unsupported policies. */
  readonly conditions: readonly { readonly api: string; readonly condition: DriverCondition }[];
  /** How many input documents were ODA API objects. */
  readonly apiCount: number;
}

/** Render mode assumes every optional kind the driver owns is installed. */
export function renderClusterView(active: ActiveDriver): ClusterView {
  return { availableKinds: new Set(active.driver.ownedKinds.map(kindKey)) };
}

/** The operator's translation without a cluster: API documents in, desired objects out. Pure. */
export function render(
  documents: readonly InputDocument[],
  active: ActiveDriver,
  options: { defaultNamespace: string; cluster?: ClusterView },
): RenderResult {
  const cluster = options.cluster ?? renderClusterView(active);
  const objects: KubeObject[] = [];
  const problems: string[] = [];
  const conditions: { api: string; condition: DriverCondition }[] = [];
  const seen = new Set<string>();
  let apiCount = 0;
  for (const doc of documents.filter((d) => isApiObject(d.value))) {
    apiCount += 1;
    const result = normalizeApi(doc.value, { defaultNamespace: options.defaultNamespace });
    const source: ApiSource = result.ok ? result.api.source : result.source;
    if (!result.ok) {
      problems.push(`${source.kind} ${source.namespace}/${source.name}: ${summarizeProblems(result.problems)}`);
      continue;
    }
    if (seen.has(sourceRef(source))) {
      problems.push(
        formatProblem(source, { field: 'metadata.name', message: `duplicate object (again in ${doc.origin})` }),
      );
      continue;
    }
    seen.add(sourceRef(source));
    const translation = translateApi(active, result.api, cluster);
    objects.push(...translation.objects);
    conditions.push(...translation.conditions.map((condition) => ({ api: sourceRef(source), condition })));
  }
  return { objects: objects.sort(compareObjects), problems, conditions, apiCount };
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject): string[] => [o.metadata.namespace ?? '', o.metadata.name, o.apiVersion, o.kind];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i += 1) {
    const [x, y] = [ka[i] ?? '', kb[i] ?? ''];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
