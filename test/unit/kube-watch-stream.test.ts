import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { MalformedWatchLine, watchEvents } from '../../core/kube/watch-stream.ts';
import type { WatchEvent } from '../../core/kube/raw-object.ts';

function chunks(...parts: (string | Buffer)[]): AsyncIterable<Buffer> {
  return Readable.from(parts.map((part) => (Buffer.isBuffer(part) ? part : Buffer.from(part))));
}

async function collect(body: AsyncIterable<Buffer>): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for await (const event of watchEvents(body)) events.push(event);
  return events;
}

const added = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'é', resourceVersion: '5' } } });
const bookmark = JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '6' } } });

describe('watch stream parsing', () => {
  it('splits newline-delimited events across arbitrary chunk borders', async () => {
    const bytes = Buffer.from(`${added}\n\n${bookmark}\n`);
    const cut = bytes.indexOf(0xa9); // inside the two-byte é
    const events = await collect(chunks(bytes.subarray(0, cut), bytes.subarray(cut, cut + 3), bytes.subarray(cut + 3)));
    assert.deepEqual(
      events.map((event) => event.type),
      ['ADDED', 'BOOKMARK'],
    );
    assert.deepEqual(events[0]?.object, { metadata: { name: 'é', resourceVersion: '5' } });
  });

  it('accepts a last event without trailing newline', async () => {
    assert.equal((await collect(chunks(added))).length, 1);
  });

  it('throws on a line that is not an event, after yielding the good ones', async () => {
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of watchEvents(chunks(`${added}\n{"type":"ADDED"`, '\n'))) seen.push(event.type);
      })(),
      MalformedWatchLine,
    );
    assert.deepEqual(seen, ['ADDED']);
    await assert.rejects(collect(chunks('{"type":"NOPE","object":{}}\n')), /not a watch event/);
  });
});
