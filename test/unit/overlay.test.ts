import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Overlay } from '../../core/operator/overlay.ts';

const obj = (rv: string) => ({ resourceVersion: rv });

describe('read-your-writes overlay', () => {
  it('forgets a write once the watch delivered it, even if the object is gone before any read', () => {
    const overlay = new Overlay<{ resourceVersion: string }>();
    overlay.set('VirtualService/ns/a', obj('5'));
    assert.deepEqual(overlay.read('VirtualService/ns/a', undefined), obj('5'), 'not in the cache yet');
    // The watch delivers our create (rv 5) and someone's delete before the next read.
    overlay.observed('VirtualService/ns/a', '5');
    assert.equal(overlay.read('VirtualService/ns/a', undefined), undefined);
  });

  it('keeps a write the watch has not delivered yet', () => {
    const overlay = new Overlay<{ resourceVersion: string }>();
    overlay.set('a', obj('9'));
    overlay.observed('a', '7');
    assert.deepEqual(overlay.read('a', obj('7')), obj('9'));
  });

  it('tells the echo of its own write from other versions', () => {
    const overlay = new Overlay<{ resourceVersion: string }>();
    assert.equal(overlay.observed('a', '3'), false, 'nothing written here');
    overlay.set('a', obj('9'));
    assert.equal(overlay.observed('a', '7'), false, 'an older version (someone else, before our write)');
    assert.equal(overlay.observed('a', '9'), true, 'the version our write returned');
    assert.equal(overlay.observed('a', '9'), false, 'only once: the entry is gone');
    overlay.deleted('b', '4');
    assert.equal(overlay.observed('b', '4'), false, 'a deletion is not an echo to skip');
  });
});
