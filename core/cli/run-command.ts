import { hostname } from 'node:os';
import { bootstrap, settingDeclarations } from '../composition/bootstrap.ts';
import { createKubeClient } from '../kube/kube-client.ts';
import { loadKubeConfig } from '../kube/kubeconfig-lite.ts';
import { OperatorMetrics } from '../observability/metrics.ts';
import { createLogger } from '../observability/pino-logger.ts';
import { Manager, ownNamespace } from '../operator/manager.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { runHelp } from './help.ts';
import { parseFlags } from './parse-flags.ts';

/** `oda-api-operator run`: the live operator, until SIGTERM or SIGINT. Returns the exit code. */
export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const declarations = await settingDeclarations(args, io);
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
  const kc = await loadKubeConfig(settings.kubeconfig, io.env).catch((error: unknown) => {
    throw new UsageError(`cannot load the kubeconfig: ${error instanceof Error ? error.message : String(error)}`);
  });
  const identity = io.env.POD_NAME ?? hostname();
  const logger = createLogger(settings.logLevel, { driver: active.driver.id, instance: identity });
  const metrics = new OperatorMetrics();
  const client = createKubeClient(kc, {
    userAgent: 'oda-api-operator',
    onRequest: metrics.onRequest,
    writeQps: settings.runtime.writeQps,
    writeBurst: settings.runtime.writeBurst,
  });
  const manager = new Manager({
    client,
    settings,
    active,
    logger,
    metrics,
    identity,
    defaultNamespace: ownNamespace(io.env),
  });
  const signal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ namespaces: settings.namespaces.patterns, server: kc.getCurrentCluster()?.server }, 'starting');
  try {
    await Promise.race([manager.start(), signal]);
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'start failed');
    await manager.stop();
    client.close();
    return 1;
  }
  const received = await signal;
  logger.info({ signal: received }, 'stopping');
  await manager.stop();
  client.close();
  logger.info({}, 'stopped');
  return 0;
}
