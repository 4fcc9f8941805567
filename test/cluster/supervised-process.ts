import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delay } from './wait-for.ts';

/** What is needed to find (and safely stop) a process later, possibly from another process. */
export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  /** Kernel start time (clock ticks since boot) guarding against pid reuse; absent off Linux. */
  readonly startTime?: string;
  readonly logFile: string;
}

export interface StartedProcess {
  readonly record: ProcessRecord;
  /** Settles when the process exits, with a description of how. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /** Let the process outlive us (its own session, no handle keeping our event loop alive). */
  readonly outliveParent: boolean;
}

/**
 * Starts a process in its own process group (so everything it forks is stopped with it), with
 * stdout and stderr appended to a log file.
 */
export function startProcess(options: StartOptions): StartedProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, { detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
    let exitedHow: string | undefined;
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve((exitedHow = `failed to start: ${error.message}`)));
      child.once('exit', (code, signal) =>
        resolve((exitedHow = signal ? `killed by ${signal}` : `exit code ${String(code)}`)),
      );
    });
    if (options.outliveParent) child.unref();
    const startTime = kernelStartTime(child.pid);
    const record: ProcessRecord = {
      name: options.name,
      pid: child.pid,
      logFile: options.logFile,
      ...(startTime ? { startTime } : {}),
    };
    return { record, exited, hasExited: () => exitedHow !== undefined };
  } finally {
    closeSync(log);
  }
}

/** True while the recorded process runs (a zombie or a reused pid counts as gone). */
export function isAlive(record: ProcessRecord): boolean {
  const stat = readStat(record.pid);
  if (stat === undefined) return processExists(record.pid);
  if (stat === null) return false;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return record.startTime === undefined || fields[19] === record.startTime;
}

/** SIGTERM to each process group, then SIGKILL to those still alive after `graceMs`. */
export async function stopProcesses(records: readonly ProcessRecord[], graceMs: number): Promise<void> {
  const alive = records.filter(isAlive);
  for (const record of alive) signalGroup(record, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive.some(isAlive) && Date.now() < deadline) await delay(50);
  const stubborn = alive.filter(isAlive);
  for (const record of stubborn) signalGroup(record, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (stubborn.some(isAlive) && Date.now() < killDeadline) await delay(20);
}

/** Synchronous last resort (from an 'exit' handler): SIGKILL every group still alive. */
export function killProcessesNow(records: readonly ProcessRecord[]): void {
  for (const record of records) if (isAlive(record)) signalGroup(record, 'SIGKILL');
}

/** The last lines of a process's log, for error messages. */
export async function logTail(record: ProcessRecord, lines = 25): Promise<string> {
  try {
    const text = await readFile(record.logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function signalGroup(record: ProcessRecord, signal: NodeJS.Signals): void {
  try {
    process.kill(-record.pid, signal);
  } catch {
    try {
      process.kill(record.pid, signal); // not a group leader after all
    } catch {
      // already gone
    }
  }
}

function kernelStartTime(pid: number): string | undefined {
  const stat = readStat(pid);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] : undefined;
}

const hasProcfs = existsSync('/proc/self/stat');

/** The /proc stat line; null when the process is gone, undefined when there is no /proc. */
function readStat(pid: number): string | null | undefined {
  if (!hasProcfs) return undefined;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
