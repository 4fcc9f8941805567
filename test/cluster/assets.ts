import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in test/cluster/). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Directory holding etcd, kube-apiserver and kube-controller-manager (built once, cached). */
export function controlPlaneBinaries(): Promise<string> {
  return runDirectoryScript('scripts/control-plane-binaries.sh');
}

/** Directory holding istio.yaml, gateway-api.yaml and servicemonitor.yaml (fetched once, cached). */
export function thirdPartyCrdDirectory(): Promise<string> {
  return runDirectoryScript('scripts/third-party-crds.sh');
}

/**
 * Runs one of our asset scripts: progress goes to our stderr, the last stdout line is the
 * directory it prepared.
 */
function runDirectoryScript(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.once('error', (error) => reject(new Error(`cannot run ${script}: ${error.message}`)));
    child.once('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1)?.trim() ?? '';
      if (code === 0 && last !== '') resolve(last);
      else reject(new Error(`${script} failed (${signal ?? `exit code ${String(code)}`}); see its messages above`));
    });
  });
}
