import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const KUBERNETES_VERSION = process.env.ODA_K8S_VERSION ?? '1.37.2';

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Directory of the cached third-party CRDs (Istio, Gateway API, ServiceMonitor), fetched on first use. */
export function thirdPartyCrdDir(): string {
  const out = execFileSync('bash', [join(ROOT, 'scripts/third-party-crds.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return lastLine(out);
}

/**
 * The OpenAPI v3 document Kubernetes publishes for one API group version, read from the
 * k8s.io/kubernetes Go module (api/openapi-spec/v3) of the pinned release.
 */
export function kubernetesOpenApi(groupVersionFile: string): unknown {
  const json = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@v${KUBERNETES_VERSION}`], {
    encoding: 'utf8',
    cwd: '/',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = (JSON.parse(json) as { Dir?: string }).Dir;
  if (dir === undefined)
    throw new Error(`go mod download gave no directory for k8s.io/kubernetes@v${KUBERNETES_VERSION}`);
  return JSON.parse(readFileSync(join(dir, 'api/openapi-spec/v3', groupVersionFile), 'utf8')) as unknown;
}
