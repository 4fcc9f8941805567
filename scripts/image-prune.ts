/**
 * Runs in the Dockerfile's build stage, after `npm prune --omit=dev`: deletes what the running
 * operator never loads from the trees it is given, to keep the image small.
 *   - type declarations (`*.d.ts`, `*.d.mts`, `*.d.cts`) and their maps, everywhere;
 *   - under `node_modules` also JavaScript source maps, `@types` packages, TypeScript sources
 *     shipped next to compiled code, and documentation other than licence and notice files.
 * Our own `dist` keeps its `.js.map` files: the image runs with `--enable-source-maps`.
 *
 *   node scripts/image-prune.ts <dir>...
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const declaration = /\.d\.[mc]?ts(\.map)?$/;
const dependencyOnly = [/\.map$/, /\.[mc]?ts$/, /^(readme|changelog|history|contributing)(\.[a-z]+)?$/i];

interface Totals {
  files: number;
  bytes: number;
}

function prune(dir: string, inNodeModules: boolean, totals: Totals): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (inNodeModules && entry.name === '@types') {
        totals.bytes += sizeOf(path);
        totals.files += 1;
        rmSync(path, { recursive: true });
        continue;
      }
      prune(path, inNodeModules || entry.name === 'node_modules', totals);
    } else if (
      entry.isFile() &&
      (declaration.test(entry.name) || (inNodeModules && dependencyOnly.some((re) => re.test(entry.name))))
    ) {
      totals.bytes += statSync(path).size;
      totals.files += 1;
      rmSync(path);
    }
  }
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/image-prune.ts <dir>...');
  process.exit(2);
}
for (const dir of dirs) {
  const totals: Totals = { files: 0, bytes: 0 };
  prune(dir, dir.split(/[\\/]/).includes('node_modules'), totals);
  console.log(`image-prune: ${dir}: removed ${totals.files} entries, ${(totals.bytes / 1e6).toFixed(1)} MB`);
}
