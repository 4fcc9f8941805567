/** A minimal reader of the Prometheus text exposition format (what /metrics answers). */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const linePattern = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Samples of the metrics whose name is in `names` (all when omitted). */
export function parseSamples(text: string, names?: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = linePattern.exec(line);
    if (match === null) continue;
    const name = match[1] ?? '';
    if (names !== undefined && !names.has(name)) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[3] ?? '').matchAll(labelPattern)) labels[label[1] ?? ''] = label[2] ?? '';
    out.push({ name, labels, value: Number(match[4]) });
  }
  return out;
}

/** The value of one sample without labels (or the first with), NaN when absent. */
export function valueOf(samples: readonly Sample[], name: string): number {
  return samples.find((s) => s.name === name)?.value ?? Number.NaN;
}
