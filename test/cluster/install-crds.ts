import { ApiextensionsV1Api, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { describeError } from './api-errors.ts';
import { serverSideApply } from './raw-request.ts';
import { StopWaiting, waitFor } from './wait-for.ts';

/** Field manager of everything the harness applies. */
export const harnessFieldManager = 'oda-test-cluster';

/**
 * Applies CRDs with server-side apply (idempotent; switching the ExposedAPI variant removes or
 * adds the status subresource) and waits until every one of them is Established.
 */
export async function installCrds(
  kc: KubeConfig,
  crds: readonly V1CustomResourceDefinition[],
  timeoutMs = 60_000,
): Promise<void> {
  await Promise.all(
    crds.map(async (crd) => {
      const name = crd.metadata?.name ?? '';
      try {
        await serverSideApply(
          kc,
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
          crd,
          harnessFieldManager,
        );
      } catch (error) {
        throw new Error(`cannot install CRD ${name}: ${describeError(error)}`, { cause: error });
      }
    }),
  );
  await waitUntilEstablished(
    kc,
    crds.map((crd) => crd.metadata?.name ?? ''),
    timeoutMs,
  );
}

/** Waits until the named CRDs are all Established (and fails fast on rejected names). */
export async function waitUntilEstablished(kc: KubeConfig, names: readonly string[], timeoutMs: number): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const wanted = new Set(names);
  await waitFor(
    async () => {
      const list = await api.listCustomResourceDefinition();
      const pending = new Set(wanted);
      for (const crd of list.items) {
        const name = crd.metadata?.name ?? '';
        if (!wanted.has(name)) continue;
        const conditions = crd.status?.conditions ?? [];
        const namesAccepted = conditions.find((condition) => condition.type === 'NamesAccepted');
        if (namesAccepted?.status === 'False')
          throw new StopWaiting(`CRD ${name} names not accepted: ${namesAccepted.message ?? ''}`);
        if (conditions.some((condition) => condition.type === 'Established' && condition.status === 'True'))
          pending.delete(name);
      }
      return pending.size === 0 ? true : undefined;
    },
    { description: `CRDs to be Established (${[...wanted].join(', ')})`, timeoutMs, intervalMs: 100 },
  );
}
