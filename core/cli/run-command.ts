import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { allDeclarations, bootstrap } from '../composition/bootstrap.ts';
import { createKubeClient } from '../kube/kube-client.ts';
import { createLogger } from '../observability/pino-logger.ts';
import { Operator } from '../operator/operator.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { runHelp } from './help.ts';
import { parseFlags } from './parse-flags.ts';

/** `oda-api-operator run`: the live operator, until SIGTERM or SIGINT. Returns the exit code. */
export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const declarations = allDeclarations();
  const flags = parseFlags(args, { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, declarations);
  if (flags.options.help === true) {
    io.stdout(runHelp(declarations));
    return 0;
  }
  if (flags.positionals.length > 0) throw new UsageError(`unexpected argument ${flags.positionals[0] ?? ''}`);
  const config = flags.options.config;
  const { settings, active } = await bootstrap({
    flags: flags.settings,
    env: io.env,
    readFile: io.readFile,
    ...(typeof config === 'string' ? { configFile: config } : {}),
  });
  const logger = createLogger(settings.logLevel, { driver: active.driver.id });
  const kc = new KubeConfig();
  try {
    if (settings.kubeconfig === undefined) kc.loadFromDefault();
    else kc.loadFromFile(settings.kubeconfig);
  } catch (error) {
    throw new UsageError(`cannot load the kubeconfig: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (kc.getCurrentCluster() === null)
    throw new UsageError('no cluster: set --kubeconfig or KUBECONFIG, or run in a cluster');
  const client = createKubeClient(kc, { userAgent: 'oda-api-operator' });
  const operator = new Operator({ client, settings, active, logger, instance: process.env.POD_NAME ?? hostname() });
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ namespaces: settings.namespaces.patterns, server: kc.getCurrentCluster()?.server }, 'starting');
  try {
    await operator.start();
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'start failed');
    await operator.stop(1000);
    client.close();
    return 1;
  }
  logger.info({}, 'started');
  const signal = await stopped;
  logger.info({ signal }, 'stopping');
  await operator.stop(10_000);
  client.close();
  logger.info({}, 'stopped');
  return 0;
}
