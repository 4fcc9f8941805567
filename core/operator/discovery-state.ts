import { discoverResources } from '../kube/discovery.ts';
import { isNotFound } from '../kube/kube-api-error.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { ResourceType } from '../kube/resource-type.ts';

export interface DiscoveredKind {
  readonly resourceType: ResourceType;
  readonly statusSubresource: boolean;
}

interface ApiGroup {
  preferredVersion?: { version?: string };
  versions?: { version?: string }[];
}

/**
 * Finds which version of a custom kind the API server serves (the group's preferred version
 * first) and whether it has a status subresource; undefined when its CRD is not installed.
 */
export async function discoverKind(
  client: KubeClient,
  group: string,
  plural: string,
  kind: string,
): Promise<DiscoveredKind | undefined> {
  let info: ApiGroup | undefined;
  try {
    info = (await client.request<ApiGroup>({ method: 'GET', path: `/apis/${group}` })).body;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const preferred = info.preferredVersion?.version;
  const versions = [preferred, ...(info.versions ?? []).map((v) => v.version)].filter(
    (v, i, all): v is string => typeof v === 'string' && all.indexOf(v) === i,
  );
  for (const version of versions) {
    const served = await discoverResources(client, `${group}/${version}`);
    if (served?.has(plural) === true) {
      return {
        resourceType: { group, version, plural, kind, namespaced: true },
        statusSubresource: served.has(`${plural}/status`),
      };
    }
  }
  return undefined;
}

/** Whether one group version serves a resource (e.g. the ServiceMonitor CRD is installed). */
export async function serves(client: KubeClient, apiVersion: string, plural: string): Promise<boolean> {
  const served = await discoverResources(client, apiVersion);
  return served?.has(plural) === true;
}
