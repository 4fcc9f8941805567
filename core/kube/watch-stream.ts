import { StringDecoder } from 'node:string_decoder';
import { isWatchEvent, type WatchEvent } from './raw-object.ts';

/** Largest single watch line accepted (one object); beyond it the stream is treated as broken. */
const maxLineBytes = 64 * 1024 * 1024;

/** A line of the stream that is not a watch event: the stream is no longer trustworthy. */
export class MalformedWatchLine extends Error {
  constructor(detail: string) {
    super(`malformed watch stream: ${detail}`);
    this.name = 'MalformedWatchLine';
  }
}

/**
 * Splits a watch response into events: one JSON document per line (the API server writes
 * `\n`-terminated JSON; blank lines are skipped). A line that does not parse as an event throws,
 * so the consumer restarts from the last resourceVersion it saw rather than silently missing a
 * change. Ends when the server ends the response.
 */
export async function* watchEvents(body: AsyncIterable<Buffer>): AsyncGenerator<WatchEvent, void, undefined> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.write(chunk);
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
      const event = parseLine(pending.slice(start, newline));
      start = newline + 1;
      if (event !== undefined) yield event;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineBytes) throw new MalformedWatchLine(`a line exceeds ${maxLineBytes} bytes`);
  }
  const event = parseLine(pending + decoder.end());
  if (event !== undefined) yield event;
}

function parseLine(line: string): WatchEvent | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedWatchLine(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isWatchEvent(value)) throw new MalformedWatchLine('not a watch event');
  return value;
}
