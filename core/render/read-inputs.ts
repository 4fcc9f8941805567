import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isJsonObject } from '../sdk/json.ts';

/** One parsed document and where it came from. */
export interface InputDocument {
  readonly origin: string;
  readonly value: unknown;
}

export interface ReadResult {
  readonly documents: readonly InputDocument[];
  /** Files that could not be read or parsed, one line each. */
  readonly errors: readonly string[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Reads `-f` arguments: files, directories (recursively, sorted) or `-` for standard input. */
export function readInputs(paths: readonly string[], readStdin: () => string): ReadResult {
  const documents: InputDocument[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    for (const file of path === '-' ? ['-'] : expand(path, errors)) {
      try {
        const text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
        documents.push(...parseDocuments(text, file === '-' ? '<stdin>' : file, errors));
      } catch (error) {
        errors.push(`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { documents, errors };
}

function expand(path: string, errors: string[]): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
  } catch {
    errors.push(`${path}: no such file or directory`);
    return [];
  }
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => EXTENSIONS.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

/** Splits multi-document YAML (JSON is YAML) and flattens `kind: List` documents. */
export function parseDocuments(text: string, origin: string, errors: string[]): InputDocument[] {
  const out: InputDocument[] = [];
  parseAllDocuments(text, { uniqueKeys: false }).forEach((doc, i) => {
    const where = `${origin}#${i + 1}`;
    if (doc.errors.length > 0) {
      errors.push(`${where}: invalid YAML: ${(doc.errors[0]?.message ?? '').split('\n')[0] ?? ''}`);
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (isJsonObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, j) => out.push({ origin: `${where}.items[${j}]`, value: item }));
    } else {
      out.push({ origin: where, value });
    }
  });
  return out;
}
