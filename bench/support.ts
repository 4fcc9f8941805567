import { setTimeout as sleep } from 'node:timers/promises';
import { isNotFound, KubeApiError } from '../core/kube/kube-api-error.ts';
import type { ClosableKubeClient } from '../core/kube/kube-client.ts';
import { deleteObject } from '../core/kube/kube-writes.ts';
import { collectionPath, type ResourceType } from '../core/kube/resource-type.ts';
import { apiServerRequests, requestDelta } from './apiserver-metrics.ts';
import type { OperatorProcess } from './operator-process.ts';
import { types } from './workload.ts';

/** Progress and cleanup of a run, and waits that end on a condition (never on a fixed sleep alone). */

export function say(message: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

/** Everything a run must undo, whatever happens. */
export class Cleanup {
  readonly #steps: { name: string; run: () => Promise<unknown> }[] = [];
  push(name: string, run: () => Promise<unknown>): void {
    this.#steps.push({ name, run });
  }
  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        say(`cleanup ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export const cleanup = new Cleanup();

/** Resolves `promise`, or throws when the operator dies or the time is up. */
export async function within<T>(
  promise: Promise<T>,
  operator: OperatorProcess | undefined,
  timeoutMs: number,
  what: string,
  progress?: () => string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  const race = { settled: false };
  let lastReport = performance.now();
  const guard = (async (): Promise<never> => {
    for (;;) {
      await sleep(200);
      if (race.settled) return new Promise<never>(() => undefined);
      operator?.assertRunning();
      if (performance.now() > deadline)
        throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
      if (progress !== undefined && performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        say(`  … ${what}: ${progress()}`);
      }
    }
  })();
  try {
    return await Promise.race([promise, guard]);
  } finally {
    race.settled = true;
  }
}

/**
 * Waits until the API server serves (almost) no requests: after a mass deletion the garbage
 * collector keeps it busy for a while, which must not be counted against the next phase.
 */
export async function waitApiServerQuiet(client: ClosableKubeClient, timeoutMs = 900_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = await apiServerRequests(client);
  let quiet = 0;
  while (quiet < 3) {
    await sleep(1000);
    const now = await apiServerRequests(client);
    const busy = Object.entries(requestDelta(last, now))
      .filter(([key]) => !key.endsWith(' leases'))
      .reduce((sum, [, n]) => sum + n, 0);
    quiet = busy <= 2 ? quiet + 1 : 0;
    last = now;
    if (performance.now() > deadline) throw new Error('the API server did not become quiet');
  }
}

/** Deletes a namespace and waits until the namespace controller has removed it and its objects. */
export async function deleteNamespace(
  client: ClosableKubeClient,
  name: string,
  kinds: readonly ResourceType[],
  timeoutMs = 900_000,
): Promise<void> {
  // Dependents first, each kind in one request: far less work for the garbage collector than
  // letting the namespace controller delete owners and dependents in any order.
  const deadline = performance.now() + timeoutMs;
  for (const rt of kinds) {
    for (;;) {
      try {
        await client.request({
          method: 'DELETE',
          path: collectionPath(rt, name),
          body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
          timeoutMs,
        });
        break;
      } catch (error) {
        // A collection of 10 000 objects can outlast the API server's own request timeout (504);
        // the deletion goes on, and asking again deletes what is left.
        if (!(error instanceof KubeApiError && error.statusCode === 504) || performance.now() > deadline) throw error;
        say(`  deleting ${rt.plural} in ${name}: the API server timed out; asking again`);
      }
    }
  }
  await deleteObject(client, types.namespace, undefined, name);
  for (;;) {
    try {
      await client.request({ method: 'GET', path: `/api/v1/namespaces/${name}` });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (performance.now() > deadline) throw new Error(`namespace ${name} still exists`);
    await sleep(1000);
  }
}
