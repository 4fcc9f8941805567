import type { ApiModel } from '../sdk/api-model.ts';
import type { DriverCondition } from '../sdk/conditions.ts';
import type { ClusterView } from '../sdk/driver.ts';
import type { KubeObject, OwnerReference } from '../sdk/kube-object.ts';
import type { ActiveDriver } from './active-driver.ts';
import { stampOwnership } from './ownership.ts';

export interface Translation {
  readonly objects: readonly KubeObject[];
  readonly conditions: readonly DriverCondition[];
}

/** Runs the active driver on one API and marks every output as the operator's own. Pure. */
export function translateApi(
  active: ActiveDriver,
  api: ApiModel,
  cluster: ClusterView,
  owner?: OwnerReference,
): Translation {
  const out = active.driver.translate({
    api,
    settings: active.settings,
    cluster,
    ...(owner === undefined ? {} : { owner }),
  });
  return {
    objects: out.objects.map((o) => stampOwnership(o, api.source, active.driver.id)),
    conditions: out.conditions,
  };
}

/** The owner reference of an output to its API object (live mode, uid known). */
export function ownerReferenceTo(api: ApiModel): OwnerReference | undefined {
  const { source } = api;
  if (source.uid === undefined) return undefined;
  return {
    apiVersion: `${source.group}/${source.version}`,
    kind: source.kind,
    name: source.name,
    uid: source.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
