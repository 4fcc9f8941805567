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

/**
 * The environment the runtime stage (after the last FROM) sets with `ENV k=v ...` (continued
 * lines joined), PATH left out: allocator settings such as MALLOC_ARENA_MAX change the footprint.
 */
export function imageEnv(dockerfile: string): Record<string, string> {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const runtime = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')) + 1);
  const env: Record<string, string> = {};
  for (const line of runtime.filter((l) => l.startsWith('ENV '))) {
    for (const pair of line.slice('ENV '.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`an ENV the benchmark cannot read (only k=v pairs): ${line}`);
      const key = pair.slice(0, eq);
      if (key !== 'PATH') env[key] = pair.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

/** How the repository's image runs node: its ENTRYPOINT's flags and its runtime ENV (one read). */
export function imageRuntimeOf(repoRoot: string): { nodeFlags: string[]; env: Record<string, string> } {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  return { nodeFlags: imageNodeFlags(dockerfile), env: imageEnv(dockerfile) };
}
