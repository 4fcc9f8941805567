import { rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { apiServerVersion } from './api-server-probe.ts';
import { controlPlaneBinaries, thirdPartyCrdDirectory } from './assets.ts';
import { generatePki } from './certificates.ts';
import { clientTls, waitForApiServer, waitForControllers, writeKubeconfigs } from './control-plane-checks.ts';
import {
  apiServerArgs,
  controllerManagerArgs,
  etcdArgs,
  serviceRange,
  type ControlPlaneLayout,
} from './control-plane-flags.ts';
import { projectCrds, thirdPartyCrds, type CrdVariant } from './crd-manifests.ts';
import { cleanUpOnExit } from './exit-cleanup.ts';
import { freeLoopbackPorts } from './free-port.ts';
import { installCrds } from './install-crds.ts';
import {
  killProcessesNow,
  startProcess,
  stopProcesses,
  type ProcessRecord,
  type StartedProcess,
} from './supervised-process.ts';
import { startWatchdog } from './watchdog.ts';

export interface LocalControlPlaneOptions {
  /** Working directory (PKI, etcd data, logs, kubeconfigs); deleted by `stop()`. */
  readonly dir: string;
  /** Leave the processes running after this process exits (`cluster:up`). Default false. */
  readonly outliveParent?: boolean;
  readonly crdVariant?: CrdVariant;
  readonly log?: (message: string) => void;
}

/** What `state.json` in the working directory records, for `cluster:down` and reconnects. */
export interface LocalControlPlaneState {
  readonly dir: string;
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly version: string;
  readonly crdVariant: CrdVariant;
  readonly processes: readonly ProcessRecord[];
}

/** The processes a fault test may kill and bring back. */
export type RestartableProcess = 'etcd' | 'kube-apiserver';

export interface LocalControlPlane extends LocalControlPlaneState {
  stop(): Promise<void>;
  /** SIGKILLs one process (a crash, no clean shutdown) and waits until it is gone. */
  kill(name: RestartableProcess): Promise<void>;
  /** Starts a killed process again on the same ports and data; waits until the API server is ready. */
  revive(name: RestartableProcess): Promise<void>;
}

/**
 * etcd + kube-apiserver (RBAC on) + kube-controller-manager on loopback ports, CRDs installed.
 * The controller manager starts after the CRDs are Established, so that its garbage collector
 * watches them from the start (it rediscovers resource types only every 30 s).
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const { dir } = options;
  const crdVariant = options.crdVariant ?? 'project';
  const log = options.log ?? (() => undefined);
  await Promise.all(['pki', 'logs'].map((sub) => mkdir(join(dir, sub), { recursive: true, mode: 0o700 })));
  const [binDir, crdDir, pki, ports] = await Promise.all([
    controlPlaneBinaries(),
    thirdPartyCrdDirectory(),
    generatePki(join(dir, 'pki'), serviceRange.kubernetesServiceIp),
    freeLoopbackPorts(3),
  ]).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const [etcdPort = 0, etcdPeerPort = 0, apiServerPort = 0] = ports;
  const layout: ControlPlaneLayout = {
    binDir,
    dataDir: dir,
    etcdPort,
    etcdPeerPort,
    apiServerPort,
    pki,
    controllerManagerKubeconfig: join(dir, 'controller-manager.kubeconfig'),
  };
  const server = `https://127.0.0.1:${apiServerPort}`;
  const kubeconfigPath = join(dir, 'kubeconfig');
  const watchdog = options.outliveParent ? undefined : startWatchdog(dir);
  const started: StartedProcess[] = [];
  const launch = (name: string, args: string[]): StartedProcess => {
    const child = startProcess({
      name,
      command: join(binDir, name),
      args,
      logFile: join(dir, 'logs', `${name}.log`),
      outliveParent: options.outliveParent ?? false,
    });
    started.push(child);
    watchdog?.watch(child.record.pid);
    return child;
  };
  const records = (): ProcessRecord[] => started.map((child) => child.record);
  const stop = async (): Promise<void> => {
    unregister();
    await stopControlPlaneProcesses(records());
    watchdog?.dismiss();
    await rm(dir, { recursive: true, force: true });
  };
  const unregister = cleanUpOnExit({
    stop,
    killNow: () => {
      killProcessesNow(records());
      rmSync(dir, { recursive: true, force: true });
    },
  });
  try {
    log(`starting etcd and kube-apiserver on ${server}`);
    launch('etcd', etcdArgs(layout));
    launch('kube-apiserver', apiServerArgs(layout));
    const tls = await clientTls(pki);
    await waitForApiServer(server, tls, started);
    await writeKubeconfigs(layout, server, kubeconfigPath);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    log('installing CRDs');
    await installCrds(kc, [...(await projectCrds(crdVariant)), ...(await thirdPartyCrds(crdDir))]);
    log('starting kube-controller-manager');
    launch('kube-controller-manager', controllerManagerArgs(layout));
    await waitForControllers(kc, started);
    const state: LocalControlPlaneState = {
      dir,
      server,
      kubeconfigPath,
      version: await apiServerVersion(server, tls),
      crdVariant,
      processes: records(),
    };
    await writeFile(join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
    if (options.outliveParent) unregister(); // from now on they are meant to run without us
    const argsOf: Record<RestartableProcess, () => string[]> = {
      etcd: () => etcdArgs(layout),
      'kube-apiserver': () => apiServerArgs(layout),
    };
    const kill = async (name: RestartableProcess): Promise<void> => {
      const index = started.findIndex((child) => child.record.name === name);
      const child = started[index];
      if (child === undefined) throw new Error(`${name} is not running`);
      process.kill(child.record.pid, 'SIGKILL');
      await child.exited;
      started.splice(index, 1);
    };
    const revive = async (name: RestartableProcess): Promise<void> => {
      if (started.some((child) => child.record.name === name)) throw new Error(`${name} is already running`);
      launch(name, argsOf[name]());
      if (started.some((child) => child.record.name === 'kube-apiserver')) await waitForApiServer(server, tls, started);
    };
    return { ...state, stop, kill, revive };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops a control plane's processes in dependency order (controllers and API server, then etcd). */
export async function stopControlPlaneProcesses(processes: readonly ProcessRecord[]): Promise<void> {
  await stopProcesses(
    processes.filter((record) => record.name !== 'etcd'),
    10_000,
  );
  await stopProcesses(
    processes.filter((record) => record.name === 'etcd'),
    5_000,
  );
}
