/** Something that must not outlive this process: a running cluster, typically. */
export interface ExitCleanup {
  /** Orderly stop (used on SIGINT, SIGTERM, SIGHUP). */
  stop(): Promise<void>;
  /** Synchronous last resort from the 'exit' event: SIGKILL and delete files, no waiting. */
  killNow(): void;
}

const active = new Set<ExitCleanup>();
const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const signalNumbers: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Runs `cleanup` if this process exits or is told to stop before the cleanup is unregistered
 * (a failed test, an uncaught exception, Ctrl-C, a test-runner timeout). Processes that survive
 * even a SIGKILL of this process are handled by the watchdog (see watchdog.ts).
 * Returns the function that unregisters it.
 */
export function cleanUpOnExit(cleanup: ExitCleanup): () => void {
  if (active.size === 0) install();
  active.add(cleanup);
  return () => {
    active.delete(cleanup);
    if (active.size === 0) uninstall();
  };
}

function onExit(): void {
  for (const cleanup of active) {
    try {
      cleanup.killNow();
    } catch {
      // keep going: the others must be cleaned up too
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const pending = [...active];
  uninstall(); // a second Ctrl-C falls through to the default (immediate) exit
  process.once('exit', () => pending.forEach((cleanup) => cleanup.killNow()));
  void Promise.allSettled(pending.map((cleanup) => cleanup.stop())).then(() =>
    process.exit(128 + (signalNumbers[signal] ?? 0)),
  );
}

function install(): void {
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', onExit);
  for (const signal of signals) process.off(signal, onSignal);
}
