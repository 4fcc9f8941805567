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
});
