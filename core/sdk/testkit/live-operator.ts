import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../kube/kube-client.ts';
import { silentLogger } from '../../observability/logger.ts';
import { Operator } from '../../operator/operator.ts';
import type { ActiveDriver } from '../../translate/active-driver.ts';
import type { Driver, RawSettings } from '../driver.ts';
import { bootstrapDriver } from './kit-driver.ts';

/** The real operator, in-process, running `driver` on one namespace. */
export interface RunningOperator {
  readonly active: ActiveDriver;
  stop(): Promise<void>;
}

export async function startOperator(
  kubeConfig: KubeConfig,
  driver: Driver,
  namespace: string,
  settings: RawSettings,
): Promise<RunningOperator> {
  const booted = await bootstrapDriver(driver, { ...settings, namespaces: namespace });
  const client = createKubeClient(kubeConfig, { userAgent: `oda-conformance-kit-${driver.id}` });
  const operator = new Operator({ client, settings: booted.settings, active: booted.active, logger: silentLogger });
  try {
    await operator.start();
  } catch (error) {
    client.close();
    throw error;
  }
  operator.lead();
  return {
    active: booted.active,
    stop: async () => {
      await operator.stop(5000);
      client.close();
    },
  };
}
