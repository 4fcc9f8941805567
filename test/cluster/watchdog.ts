import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The watchdog covers the one case exit handlers cannot: this process being SIGKILLed (a test
 * runner's hard timeout, the OOM killer). It is a tiny detached shell loop that waits for this
 * process to disappear, then stops the process groups listed in `<dir>/pids`, last started first
 * (SIGTERM, then SIGKILL after 5 s), and deletes `<dir>`.
 */
const script = `
parent=$1; dir=$2
running() { # a zombie counts as stopped: PID 1 may be slow to reap it
  if [ -r "/proc/$1/stat" ]; then ! grep -q ') [ZX] ' "/proc/$1/stat"; else kill -0 "$1" 2>/dev/null; fi
}
stop() {
  kill -s TERM -- "-$1" 2>/dev/null || kill -s TERM "$1" 2>/dev/null
  i=0
  while running "$1" && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -s KILL -- "-$1" 2>/dev/null
}
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
# Last started first: the controller manager and the API server stop quickly while etcd is up.
for p in $(sed '1!G;h;$!d' "$dir/pids" 2>/dev/null); do stop "$p"; done
rm -rf "$dir"
`;

export interface Watchdog {
  /** Adds a process (group leader) to those stopped when this process dies. */
  watch(pid: number): void;
  /** The orderly shutdown happened: the watchdog is no longer needed. */
  dismiss(): void;
}

export function startWatchdog(dir: string): Watchdog {
  const pidsFile = join(dir, 'pids');
  appendFileSync(pidsFile, '');
  const child = spawn('sh', ['-c', script, 'oda-cluster-watchdog', String(process.pid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const pid = child.pid;
  return {
    watch: (watched) => appendFileSync(pidsFile, `${watched}\n`),
    dismiss: () => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL'); // the loop and its `sleep`
      } catch {
        // already gone
      }
    },
  };
}
