import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mib } from './stats.ts';

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly node: string;
  readonly kubernetes: string;
}

export interface LoadAverage {
  readonly one: number;
  readonly five: number;
  readonly fifteen: number;
}

export function machineInfo(kubernetesVersion: string): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.round(mib(totalmem())),
    node: process.version,
    kubernetes: kubernetesVersion,
  };
}

export function loadAverage(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { one: r(one), five: r(five), fifteen: r(fifteen) };
}

export function formatLoad(load: LoadAverage): string {
  return `${load.one.toFixed(2)} ${load.five.toFixed(2)} ${load.fifteen.toFixed(2)}`;
}

/** The commit checked out, `+dirty` when the working tree differs from it. */
export function gitCommit(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' });
    return dirty.trim() === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}

/** Total CPU time (user + system) of a process so far, in seconds, from /proc/<pid>/stat. */
export function cpuSecondsOf(stat: string, clockTicks = 100): number {
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks;
}
