import type { ApiSource } from '../sdk/api-model.ts';

/** One thing wrong with an input object, naming the field (`spec.port`, `spec.specification[1].url`). */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** `ExposedAPI shop/catalog-v4: spec.port: must be ...` — the one-line form used in logs, Events and the CLI. */
export function formatProblem(source: Pick<ApiSource, 'kind' | 'namespace' | 'name'>, problem: Problem): string {
  return `${source.kind} ${source.namespace}/${source.name}: ${problem.field}: ${problem.message}`;
}

/** Summary for a status condition message: every problem, field first, joined. */
export function summarizeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

const MAX_SHOWN = 60;

/** Quotes a hostile value for a message without flooding it: shortened, control characters escaped. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…(${value.length} chars)` : value;
    return JSON.stringify(cut);
  }
  return typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : typeof value;
}
