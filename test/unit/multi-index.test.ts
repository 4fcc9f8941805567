import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MultiIndex } from '../../core/reconcile/multi-index.ts';

describe('MultiIndex', () => {
  it('keeps one value inline, grows to a set, and shrinks back', () => {
    const index = new MultiIndex();
    assert.deepEqual(index.get('a'), []);
    index.add('a', 'x');
    index.add('a', 'x');
    assert.deepEqual(index.get('a'), ['x']);
    index.add('a', 'y');
    index.add('a', 'z');
    assert.deepEqual([...index.get('a')].sort(), ['x', 'y', 'z']);
    index.delete('a', 'y');
    index.delete('a', 'x');
    assert.deepEqual(index.get('a'), ['z']);
    index.delete('a', 'nope');
    assert.deepEqual(index.get('a'), ['z']);
    index.delete('a', 'z');
    assert.deepEqual(index.get('a'), []);
    assert.equal(index.size, 0);
  });

  it('lists keys and keeps keys apart', () => {
    const index = new MultiIndex();
    index.add('a', 'x');
    index.add('b', 'x');
    index.delete('a', 'x');
    assert.deepEqual([...index.keys()], ['b']);
    assert.deepEqual(index.get('b'), ['x']);
  });
});
