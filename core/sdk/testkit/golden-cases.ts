import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseDocuments } from '../../render/read-inputs.ts';
import type { InputDocument } from '../../render/read-inputs.ts';
import { render } from '../../render/render.ts';
import type { ActiveDriver } from '../../translate/active-driver.ts';
import type { RawSettings } from '../driver.ts';
import { isJsonObject } from '../json.ts';
import type { JsonValue } from '../json.ts';
import { packageRoot } from './kit-driver.ts';

/** One shared input case: `<name>.in.yaml` and optional `<name>.settings.yaml` (config-file keys). */
export interface GoldenCase {
  readonly name: string;
  readonly documents: readonly InputDocument[];
  readonly settings: RawSettings;
}

/** What a driver makes of a case, in the layout of the golden files. */
export interface CaseOutput {
  readonly problems: readonly string[];
  readonly conditions: readonly JsonValue[];
  readonly objects: readonly JsonValue[];
}

/** The directory of the input cases shipped with the operator (`test/golden/cases`). */
export function goldenCasesDir(): string {
  return join(packageRoot(), 'test', 'golden', 'cases');
}

export function readCases(dir: string): GoldenCase[] {
  if (!existsSync(dir)) throw new Error(`conformance kit: no case directory ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.in.yaml'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.in.yaml'.length);
      const errors: string[] = [];
      const documents = parseDocuments(readFileSync(join(dir, file), 'utf8'), file, errors);
      if (errors.length > 0) throw new Error(`conformance kit: case ${name} does not parse: ${errors.join('; ')}`);
      const settingsFile = join(dir, `${name}.settings.yaml`);
      return { name, documents, settings: existsSync(settingsFile) ? readSettings(settingsFile) : {} };
    });
}

function readSettings(file: string): RawSettings {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  if (!isJsonObject(doc)) return {};
  return Object.fromEntries(
    Object.entries(doc).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(',') : scalar(v)]),
  );
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Renders a case as the operator's `render` command would, in the golden file layout. */
export function renderCase(documents: readonly InputDocument[], active: ActiveDriver): CaseOutput {
  const result = render(documents, active, { defaultNamespace: 'default' });
  return JSON.parse(
    JSON.stringify({
      problems: result.problems,
      conditions: result.conditions.map((c) => ({ api: c.api, ...c.condition })),
      objects: result.objects,
    }),
  ) as CaseOutput;
}
