import { readdir, readFile } from 'node:fs/promises';
import { cpuSecondsOf } from './machine.ts';

/**
 * CPU time of the processes that share the machine during a phase: the operator, the control
 * plane's processes (when the benchmark started them: they are its children) and the benchmark
 * itself. On a 2-core machine this says who the cold start was waiting for.
 */
export type CpuSnapshot = Readonly<Record<string, number>>;

const controlPlane = ['kube-apiserver', 'etcd', 'kube-controller-manager'];

async function readStat(pid: number): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Pids of the control-plane processes among this process's children, by name. */
export async function controlPlanePids(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readStat(Number(entry));
    if (stat === undefined) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const match = controlPlane.find((p) => name === p || p.startsWith(name));
    if (ppid === process.pid && match !== undefined) out[match] = Number(entry);
  }
  return out;
}

export async function cpuSnapshot(pids: Readonly<Record<string, number>>): Promise<CpuSnapshot> {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const stat = await readStat(pid);
    if (stat !== undefined) out[name] = cpuSecondsOf(stat);
  }
  const own = process.cpuUsage();
  out.benchmark = (own.user + own.system) / 1e6;
  return out;
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after)) {
    // A process absent at the start (the operator) started during the phase.
    out[name] = Math.round((seconds - (before[name] ?? 0)) * 10) / 10;
  }
  return out;
}
