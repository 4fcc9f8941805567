/**
 * The long-lived local control plane behind `npm run cluster:up`, `cluster:down` and `dev`: it
 * runs detached, its files (PKI, etcd data, logs, kubeconfig, state.json with the pids) live in
 * `.cluster/` at the repository root (git-ignored).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, thirdPartyCrdDirectory } from '../test/cluster/assets.ts';
import { getFromApiServer } from '../test/cluster/api-server-probe.ts';
import { KubeConfig } from '@kubernetes/client-node';
import { projectCrds, thirdPartyCrds, type CrdVariant } from '../test/cluster/crd-manifests.ts';
import { installCrds } from '../test/cluster/install-crds.ts';
import {
  startLocalControlPlane,
  stopControlPlaneProcesses,
  type LocalControlPlaneState,
} from '../test/cluster/local-control-plane.ts';
import { isAlive } from '../test/cluster/supervised-process.ts';

export const clusterDir = join(repoRoot, '.cluster');
export const clusterKubeconfig = join(clusterDir, 'kubeconfig');
const stateFile = join(clusterDir, 'state.json');

export function say(message: string): void {
  process.stderr.write(`[cluster] ${message}\n`);
}

/** Starts the detached control plane unless it already runs; returns its state. */
export async function ensureClusterUp(crdVariant: CrdVariant): Promise<LocalControlPlaneState> {
  const existing = await readState();
  if (existing && (await isHealthy(existing))) {
    say(`already running at ${existing.server} (${existing.version})`);
    return reapplyCrds(existing, crdVariant);
  }
  if (existing || existsSync(clusterDir)) {
    say('removing the remains of a previous cluster');
    await clusterDown();
  }
  const started = performance.now();
  const plane = await startLocalControlPlane({ dir: clusterDir, outliveParent: true, crdVariant, log: say });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`up in ${seconds} s: ${plane.server} (${plane.version}, ${crdVariant} CRDs)`);
  say(`export KUBECONFIG=${clusterKubeconfig} ODA_TEST_KUBECONFIG=${clusterKubeconfig}`);
  return plane;
}

/** Stops the detached control plane (if any) and removes `.cluster/`. */
export async function clusterDown(): Promise<void> {
  const state = await readState();
  if (state) {
    const running = state.processes.filter(isAlive);
    say(
      running.length > 0
        ? `stopping ${running.map((record) => `${record.name} (${record.pid})`).join(', ')}`
        : 'no process left',
    );
    await stopControlPlaneProcesses(running);
    const survivors = running.filter(isAlive);
    if (survivors.length > 0) throw new Error(`could not stop: ${survivors.map((record) => record.pid).join(', ')}`);
  }
  await rm(clusterDir, { recursive: true, force: true });
}

/**
 * Applies every CRD again, ours in the requested variant: the state file cannot know whether
 * someone (a TEST_CLUSTER=kubeconfig run, say) changed or deleted one since; server-side apply
 * makes it a no-op when nothing did.
 */
async function reapplyCrds(state: LocalControlPlaneState, crdVariant: CrdVariant): Promise<LocalControlPlaneState> {
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfigPath);
  await installCrds(kc, [
    ...(await projectCrds(crdVariant)),
    ...(await thirdPartyCrds(await thirdPartyCrdDirectory())),
  ]);
  const current = { ...state, crdVariant };
  await writeFile(stateFile, `${JSON.stringify(current, null, 2)}\n`);
  say(`CRDs applied again (ExposedAPI: ${crdVariant} variant)`);
  return current;
}

async function readState(): Promise<LocalControlPlaneState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as LocalControlPlaneState;
  } catch {
    return undefined;
  }
}

async function isHealthy(state: LocalControlPlaneState): Promise<boolean> {
  if (!state.processes.every(isAlive)) return false;
  try {
    const pki = join(state.dir, 'pki');
    const [ca, cert, key] = await Promise.all(
      ['ca.crt', 'admin.crt', 'admin.key'].map((name) => readFile(join(pki, name), 'utf8')),
    );
    const response = await getFromApiServer(state.server, '/readyz', {
      ca: ca ?? '',
      cert: cert ?? '',
      key: key ?? '',
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** `--upstream` (or ODA_CRD_VARIANT=upstream) selects the ExposedAPI CRD without status subresource. */
export function crdVariantFromArgs(args: readonly string[]): CrdVariant {
  return args.includes('--upstream') || process.env.ODA_CRD_VARIANT === 'upstream' ? 'upstream' : 'project';
}

/** Runs a script's main function: reports errors plainly, exits with a status either way. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      say(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
