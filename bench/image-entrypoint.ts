import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The node flags of the image's ENTRYPOINT (`["node", <flags>..., "/app/dist/core/cli/main.js"]`),
 * so the benchmark runs the operator as the image does: heap sizing flags change its footprint.
 */
export function imageNodeFlags(dockerfile: string): string[] {
  const line = dockerfile.split('\n').find((l) => l.startsWith('ENTRYPOINT '));
  if (line === undefined) throw new Error('the Dockerfile has no ENTRYPOINT');
  const parsed: unknown = JSON.parse(line.slice('ENTRYPOINT '.length));
  if (!Array.isArray(parsed) || parsed[0] !== 'node' || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`the ENTRYPOINT is not ["node", ...]: ${line}`);
  const args = parsed;
  const script = args.findIndex((a) => a.endsWith('.js'));
  if (script < 0) throw new Error(`the ENTRYPOINT names no script: ${line}`);
  return args.slice(1, script);
}

export function imageNodeFlagsOf(repoRoot: string): string[] {
  return imageNodeFlags(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
}
