import { isNotFound } from './kube-api-error.ts';
import type { KubeClient } from './kube-client.ts';
import { groupVersionPath } from './resource-type.ts';

interface ApiResourceList {
  resources?: { name?: unknown }[];
}

/**
 * The resources one group version serves, by name, subresources included (`exposedapis`,
 * `exposedapis/status`, ...); `undefined` when the group version is not served at all (404), e.g.
 * the Prometheus operator's CRDs are not installed. `groupVersion` is `v1` for the core group or
 * `<group>/<version>`. Other failures throw: "unknown" must not be mistaken for "absent".
 */
export async function discoverResources(
  client: KubeClient,
  groupVersion: string,
  signal?: AbortSignal,
): Promise<Set<string> | undefined> {
  try {
    const response = await client.request<ApiResourceList | undefined>({
      method: 'GET',
      path: groupVersionPath(groupVersion),
      ...(signal === undefined ? {} : { signal }),
    });
    const names = new Set<string>();
    for (const resource of response.body?.resources ?? []) {
      if (typeof resource.name === 'string') names.add(resource.name);
    }
    return names;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
