import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictIndex } from '../../core/conflicts/conflict-index.ts';
import type { PathClaim } from '../../core/conflicts/conflict-index.ts';

function claim(key: string, path: string, createdAt: string, extra: Partial<PathClaim> = {}): PathClaim {
  return { key, path, createdAt, name: `ns/${key}`, gateway: 'gw', host: '*', ...extra };
}

describe('ConflictIndex', () => {
  it('lets the oldest of equal or nested prefixes win, at / boundaries only', () => {
    const index = new ConflictIndex();
    index.upsert(claim('a', '/shop', '2026-01-01T00:00:00Z'));
    index.upsert(claim('b', '/shop/cart', '2026-01-02T00:00:00Z'));
    index.upsert(claim('c', '/shopping', '2026-01-03T00:00:00Z'));
    index.upsert(claim('d', '/shop/', '2026-01-04T00:00:00Z'));
    assert.equal(index.winnerOver('a'), undefined);
    assert.equal(index.winnerOver('b')?.key, 'a');
    assert.equal(index.winnerOver('c'), undefined, '/shop does not cover /shopping');
    assert.equal(index.winnerOver('d')?.key, 'a', '/shop/ equals /shop');
  });

  it('separates gateways and hosts', () => {
    const index = new ConflictIndex();
    index.upsert(claim('a', '/x', '2026-01-01T00:00:00Z'));
    index.upsert(claim('b', '/x', '2026-01-02T00:00:00Z', { host: 'shop.example.org' }));
    index.upsert(claim('c', '/x', '2026-01-03T00:00:00Z', { gateway: 'other' }));
    assert.equal(index.winnerOver('b'), undefined);
    assert.equal(index.winnerOver('c'), undefined);
  });

  it('breaks ties on creation time by namespace/name', () => {
    const index = new ConflictIndex();
    index.upsert(claim('z', '/x', '2026-01-01T00:00:00Z', { name: 'ns/zeta' }));
    index.upsert(claim('a', '/x', '2026-01-01T00:00:00Z', { name: 'ns/alpha' }));
    assert.equal(index.winnerOver('z')?.key, 'a');
    assert.equal(index.winnerOver('a'), undefined);
  });

  it('reports the neighbours to look at again when a claim comes, moves or goes', () => {
    const index = new ConflictIndex();
    index.upsert(claim('a', '/a', '2026-01-01T00:00:00Z'));
    index.upsert(claim('b', '/b', '2026-01-01T00:00:00Z'));
    assert.deepEqual([...index.upsert(claim('c', '/a/c', '2026-01-02T00:00:00Z'))], ['a']);
    assert.deepEqual([...index.upsert(claim('c', '/b/c', '2026-01-02T00:00:00Z'))].sort(), ['a', 'b']);
    assert.deepEqual([...index.upsert(claim('c', '/b/c', '2026-01-02T00:00:00Z'))], [], 'unchanged claim: nobody');
    assert.deepEqual([...index.remove('b')], ['c']);
    assert.equal(index.winnerOver('c'), undefined, 'released when the winner goes');
    assert.equal(index.size, 2);
  });

  it('root path overlaps everything on its host', () => {
    const index = new ConflictIndex();
    index.upsert(claim('root', '/', '2026-01-05T00:00:00Z'));
    index.upsert(claim('deep', '/a/b/c', '2026-01-01T00:00:00Z'));
    assert.equal(index.winnerOver('root')?.key, 'deep');
  });

  it('keeps answering right while branches of the trie grow, shrink and are pruned', () => {
    const index = new ConflictIndex();
    index.upsert(claim('a', '/x/y', '2026-01-01T00:00:00Z'));
    index.upsert(claim('b', '/x/z', '2026-01-02T00:00:00Z'));
    index.remove('b');
    index.upsert(claim('c', '/x/y/w', '2026-01-03T00:00:00Z'));
    assert.equal(index.winnerOver('c')?.key, 'a');
    index.remove('a');
    assert.equal(index.winnerOver('c'), undefined);
    index.remove('c');
    assert.equal(index.size, 0);
    index.upsert(claim('d', '/x', '2026-01-04T00:00:00Z'));
    index.upsert(claim('e', '/x/y/w', '2026-01-05T00:00:00Z'));
    index.upsert(claim('f', '/x/q', '2026-01-06T00:00:00Z'));
    assert.equal(index.winnerOver('e')?.key, 'd');
    assert.equal(index.winnerOver('f')?.key, 'd');
    assert.deepEqual([...index.remove('d')].sort(), ['e', 'f']);
    assert.equal(index.winnerOver('e'), undefined);
  });

  it('keeps several claims on one path, and one again when the others go', () => {
    const index = new ConflictIndex();
    index.upsert(claim('a', '/p', '2026-01-01T00:00:00Z'));
    index.upsert(claim('b', '/p', '2026-01-02T00:00:00Z'));
    index.upsert(claim('c', '/p/', '2026-01-03T00:00:00Z'));
    assert.equal(index.winnerOver('b')?.key, 'a');
    assert.equal(index.winnerOver('c')?.key, 'a');
    assert.deepEqual([...index.remove('a')].sort(), ['b', 'c']);
    assert.equal(index.winnerOver('c')?.key, 'b');
    index.remove('b');
    assert.equal(index.winnerOver('c'), undefined);
    index.upsert(claim('c', '/p', '2026-01-03T00:00:00Z', { name: 'ns/c2' }));
    index.upsert(claim('d', '/p/q', '2026-01-04T00:00:00Z'));
    assert.equal(index.winnerOver('d')?.key, 'c', 'a claim moved onto the same node is still found');
    index.remove('c');
    index.remove('d');
    assert.equal(index.size, 0);
    index.upsert(claim('e', '/p/q', '2026-01-05T00:00:00Z'));
    assert.equal(index.winnerOver('e'), undefined, 'nothing left of the pruned claims');
  });

  it('stays fast with thousands of claims', () => {
    const index = new ConflictIndex();
    for (let i = 0; i < 10_000; i += 1) index.upsert(claim(`k${i}`, `/c${i}/tmf-api/x/v4`, '2026-01-01T00:00:00Z'));
    for (let i = 0; i < 10_000; i += 1) assert.equal(index.winnerOver(`k${i}`), undefined);
  });
});
