/**
 * `npm run dev [-- --upstream] [-- --once]`: a local ODA playground. Brings the local control plane
 * up (or reuses it), installs the sample Istio ingress gateway (address 127.0.0.1) and the sample
 * components from config/samples, runs the operator against them, prints the resulting routes and
 * statuses once they settle, and keeps the operator running until Ctrl+C (`--once`: stops it
 * and exits after printing). The cluster keeps running until `npm run cluster:down`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../core/kube/kube-client.ts';
import type { KubeRawObject } from '../core/kube/raw-object.ts';
import { waitFor } from '../test/cluster/index.ts';
import { clusterDir, clusterKubeconfig, crdVariantFromArgs, ensureClusterUp, runMain, say } from './dev-cluster.ts';
import { installComponentSamples, installIngressGateway, samplesDir } from './dev-samples.ts';

interface Listed {
  items: KubeRawObject[];
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

runMain(async () => {
  const args = process.argv.slice(2);
  const plane = await ensureClusterUp(crdVariantFromArgs(args));
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  await installIngressGateway(kc);
  say('ingress gateway istio-system/istio-ingressgateway installed, address 127.0.0.1');
  const objects = await installComponentSamples(kc);
  say(`samples from ${samplesDir}: ${String(objects.length)} objects`);

  const logFile = join(clusterDir, 'logs', 'operator.log');
  const operator = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '..', 'core', 'cli', 'main.ts'),
      'run',
      '--kubeconfig',
      clusterKubeconfig,
      '--leader-election',
      'false',
      '--http-port',
      '8080',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  operator.stdout.pipe(log);
  operator.stderr.pipe(log);
  say(`operator started (pid ${String(operator.pid)}), logs in ${logFile}, metrics on http://127.0.0.1:8080/metrics`);

  const client = createKubeClient(kc);
  const list = async (path: string): Promise<KubeRawObject[]> =>
    (await client.request<Listed>({ method: 'GET', path })).body.items;
  const apis = async (): Promise<KubeRawObject[]> => [
    ...(await list('/apis/oda.tmforum.org/v1/exposedapis')),
    ...(await list('/apis/oda.tmforum.org/v1beta4/apis')),
  ];
  await waitFor(
    async () => {
      if (operator.exitCode !== null)
        throw new Error(`the operator exited (${String(operator.exitCode)}); see ${logFile}`);
      const all = await apis();
      return all.length > 0 && all.every((a) => (a.status as { conditions?: unknown[] } | undefined)?.conditions)
        ? true
        : undefined;
    },
    { timeoutMs: 60_000, description: 'every sample API to get a status' },
  );
  const routes = await list('/apis/networking.istio.io/v1/virtualservices');
  console.log(`\nVirtualServices (${String(routes.length)}):`);
  console.log(
    table([
      ['NAMESPACE', 'NAME', 'PREFIX', 'DESTINATION'],
      ...routes.map((r) => {
        const http = (
          r.spec as {
            http?: {
              match?: { uri?: { prefix?: string } }[];
              route?: { destination?: { host?: string; port?: { number?: number } } }[];
            }[];
          }
        ).http?.[0];
        const d = http?.route?.[0]?.destination;
        return [
          r.metadata.namespace ?? '',
          r.metadata.name,
          http?.match?.[0]?.uri?.prefix ?? '',
          `${d?.host ?? ''}:${String(d?.port?.number ?? '')}`,
        ];
      }),
    ]),
  );
  console.log('\nAPI statuses:');
  console.log(
    table([
      ['KIND', 'NAME', 'READY', 'REASON', 'URL'],
      ...(await apis()).map((a) => {
        const s = (a.status ?? {}) as {
          apiStatus?: { url?: string };
          implementation?: { ready?: boolean };
          conditions?: { type: string; reason?: string }[];
        };
        return [
          a.kind ?? '',
          a.metadata.name,
          String(s.implementation?.ready ?? false),
          s.conditions?.find((c) => c.type === 'Ready')?.reason ?? '',
          s.apiStatus?.url ?? '',
        ];
      }),
    ]),
  );
  client.close();
  if (args.includes('--once')) {
    operator.kill('SIGTERM');
    await new Promise((resolve) => operator.once('exit', resolve));
    say('operator stopped; the cluster keeps running (`npm run cluster:down` stops it)');
    return;
  }
  say('the operator keeps running: edit the samples with kubectl and watch; Ctrl+C stops it');
  say(`try: KUBECONFIG=${clusterKubeconfig} kubectl get exposedapis,apis,virtualservices -A`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      operator.kill('SIGTERM');
      operator.once('exit', () => resolve());
    });
  });
});
