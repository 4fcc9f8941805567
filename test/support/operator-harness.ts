import type { KubeConfig } from '@kubernetes/client-node';
import { bootstrap } from '../../core/composition/bootstrap.ts';
import { createKubeClient } from '../../core/kube/kube-client.ts';
import { silentLogger } from '../../core/observability/logger.ts';
import type { Logger } from '../../core/observability/logger.ts';
import { Operator } from '../../core/operator/operator.ts';
import type { WorkOutcome } from '../../core/pipeline/work-queue.ts';

export interface OperatorUnderTest {
  readonly operator: Operator;
  /** API calls made so far, as `VERB code`. */
  readonly calls: string[];
  readonly outcomes: WorkOutcome[];
  /** Writes (anything but GET/WATCH) made so far. */
  writes(): number;
  /** True when no key is queued, delayed or in flight. */
  idle(): boolean;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly namespace: string;
  readonly driver?: string;
  /** Setting flags by key, on top of the test defaults. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
}

/** The label every test gateway Service carries, valued with the test's namespace. */
export const GATEWAY_LABEL = 'oda-test-gateway';

/**
 * Runs the real operator in-process against the test cluster, watching only the test's own
 * namespace and publishing the address of the gateway Service labelled for that namespace.
 */
export async function startOperator(kc: KubeConfig, options: StartOptions): Promise<OperatorUnderTest> {
  const { settings, active } = await bootstrap({
    flags: {
      driver: options.driver ?? 'istio',
      namespaces: options.namespace,
      gatewaySelector: `${GATEWAY_LABEL}=${options.namespace}`,
      ...options.settings,
    },
    env: {},
    readFile: () => {
      throw new Error('no config file in tests');
    },
  });
  const calls: string[] = [];
  const outcomes: WorkOutcome[] = [];
  const client = createKubeClient(kc, {
    userAgent: 'oda-api-operator-under-test',
    onRequest: (verb, code) => calls.push(`${verb} ${code}`),
  });
  const operator = new Operator({
    client,
    settings,
    active,
    logger: options.logger ?? silentLogger,
    onOutcome: (o) => outcomes.push(o),
  });
  await operator.start();
  operator.lead();
  return {
    operator,
    calls,
    outcomes,
    writes: () => calls.filter((c) => !c.startsWith('GET') && !c.startsWith('WATCH')).length,
    idle: () => {
      const q = operator.queue;
      // Normal Events are written once the reconciles are done: idle means those too.
      return (q === undefined || (q.idle && q.delayed === 0)) && operator.pendingEvents === 0;
    },
    stop: async () => {
      await operator.stop(5000);
      client.close();
    },
  };
}
