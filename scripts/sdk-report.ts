/**
 * `npm run sdk:report`: writes core/sdk/api-report.md, the declarations of the SDK's public
 * entry points (`oda-api-operator/sdk` and `/sdk/testkit`) as the compiler emits them, without
 * comments, sorted. test/unit/sdk-api-report.test.ts fails while the report is out of date, so
 * every change of the surface shows in review. Refuses to record a changed surface under an
 * unchanged SDK_VERSION: bump it first (major: removed or changed, minor: added).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { SDK_VERSION } from '../core/sdk/version.ts';

const ROOT = join(import.meta.dirname, '..');
export const REPORT = join(ROOT, 'core', 'sdk', 'api-report.md');
const ENTRIES: readonly [string, string][] = [
  ['oda-api-operator/sdk', 'core/sdk/index.ts'],
  ['oda-api-operator/sdk/testkit', 'core/sdk/testkit/index.ts'],
];

const SDK_DIR = join(ROOT, 'core', 'sdk');

/** The declarations emitted for each source file of the SDK, by source path. */
function emitDeclarations(program: ts.Program): Map<string, ts.SourceFile> {
  const out = new Map<string, ts.SourceFile>();
  for (const source of program.getSourceFiles().filter((f) => f.fileName.startsWith(SDK_DIR))) {
    program.emit(
      source,
      (fileName, text) => {
        if (fileName.endsWith('.d.ts')) {
          out.set(source.fileName, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true));
        }
      },
      undefined,
      true,
    );
  }
  return out;
}

function nameOf(statement: ts.Statement): string | undefined {
  if (ts.isVariableStatement(statement)) {
    const [first] = statement.declarationList.declarations;
    return first && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  const named = statement as ts.Statement & { name?: ts.Node };
  return named.name && ts.isIdentifier(named.name) ? named.name.text : undefined;
}

function identifiers(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (child) => identifiers(child, into));
}

/**
 * The exported declarations of one entry point, plus the declarations they mention that are
 * neither exported by it nor already `shown` (by an earlier entry point); adds what it shows.
 */
function surface(
  program: ts.Program,
  declarations: Map<string, ts.SourceFile>,
  entry: string,
  shown: Set<string>,
): string[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(join(ROOT, entry));
  const moduleSymbol = file && checker.getSymbolAtLocation(file);
  if (!moduleSymbol) throw new Error(`no module symbol for ${entry}`);
  const wanted: [string, string][] = [];
  const exports = checker.getExportsOfModule(moduleSymbol);
  const exported = new Set([...shown, ...exports.map((s) => s.name)]);
  for (const symbol of exports) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const declaration of target.declarations ?? [])
      wanted.push([declaration.getSourceFile().fileName, symbol.name]);
  }
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const printed = new Map<string, string>();
  const seen = new Set<string>();
  while (wanted.length > 0) {
    const [source, name] = wanted.pop() ?? ['', ''];
    if (seen.has(`${source}#${name}`)) continue;
    seen.add(`${source}#${name}`);
    const dts = declarations.get(source);
    for (const statement of dts?.statements.filter((s) => nameOf(s) === name) ?? []) {
      const text = printer.printNode(ts.EmitHint.Unspecified, statement, dts ?? file);
      printed.set(`${name}\u0000${text}`, text);
      const mentioned = new Set<string>();
      identifiers(statement, mentioned);
      for (const other of mentioned) {
        for (const [path, d] of declarations) {
          if (!exported.has(other) && d.statements.some((s) => nameOf(s) === other)) {
            wanted.push([path, other]);
          }
        }
      }
    }
  }
  for (const key of printed.keys()) shown.add(key.split('\u0000')[0] ?? '');
  return [...printed.keys()].sort().map((k) => printed.get(k) ?? '');
}

/** The report's text for the current sources. */
export function sdkReport(): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('cannot read tsconfig.json');
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    removeComments: true,
    sourceMap: false,
    declarationMap: false,
  };
  // Only the SDK's own files: what they import from the rest of the core never shows in its surface.
  const program = ts.createProgram(ts.sys.readDirectory(SDK_DIR, ['.ts'], ['**/*.d.ts']), {
    ...options,
    noResolve: true,
  });
  const declarations = emitDeclarations(program);
  const shown = new Set<string>();
  const sections = ENTRIES.map(
    ([name, file]) =>
      `## ${name}\n\nFrom \`${relative(ROOT, join(ROOT, file))}\`.\n\n\`\`\`ts\n${surface(program, declarations, file, shown).join('\n')}\n\`\`\`\n`,
  );
  return `# SDK API report\n\n<!-- Generated by \`npm run sdk:report\`; do not edit by hand. -->\n\nThe public surface of the driver SDK, as declarations without comments. A change here changes\nwhat drivers build on: bump \`SDK_VERSION\` (core/sdk/version.ts) with it, major when something\nwas removed or changed, minor when something was added.\n\nSDK_VERSION: ${SDK_VERSION}\n\n${sections.join('\n')}`;
}

/** The report without its version lines: what must not change under the same version. */
export function surfaceOnly(report: string): string {
  return report
    .split('\n')
    .filter((line) => !line.startsWith('SDK_VERSION: ') && !line.includes('SDK_VERSION = '))
    .join('\n');
}

function main(): number {
  const report = sdkReport();
  const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : undefined;
  const previousVersion = /^SDK_VERSION: (.+)$/m.exec(previous ?? '')?.[1];
  if (previous !== undefined && surfaceOnly(previous) !== surfaceOnly(report) && previousVersion === SDK_VERSION) {
    console.error(
      `sdk:report: the SDK surface changed but SDK_VERSION is still ${SDK_VERSION}. Bump it in core/sdk/version.ts ` +
        '(major: something removed or changed; minor: something added), then run npm run sdk:report again.',
    );
    return 1;
  }
  writeFileSync(REPORT, report);
  console.log(`wrote ${relative(ROOT, REPORT)} (SDK ${SDK_VERSION})`);
  return 0;
}

if (process.argv[1] === import.meta.filename) process.exitCode = main();
