import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageEnv, imageNodeFlags, imageRuntimeOf } from '../../bench/image-entrypoint.ts';
import { repoRoot } from '../cluster/assets.ts';

describe('benchmark: the operator runs with the image entrypoint flags', () => {
  it('reads the node flags between node and the script', () => {
    const dockerfile = 'FROM x\nENTRYPOINT ["node", "--a=1", "--b", "/app/dist/core/cli/main.js"]\nCMD ["run"]\n';
    assert.deepEqual(imageNodeFlags(dockerfile), ['--a=1', '--b']);
  });

  it('refuses an entrypoint it cannot read', () => {
    assert.throws(() => imageNodeFlags('FROM x\n'), /no ENTRYPOINT/);
    assert.throws(() => imageNodeFlags('ENTRYPOINT ["/bin/sh", "x.js"]'), /not \["node"/);
    assert.throws(() => imageNodeFlags('ENTRYPOINT ["node", "--a"]'), /names no script/);
  });

  it('finds the heap sizing of the real Dockerfile', () => {
    assert.ok(imageRuntimeOf(repoRoot).nodeFlags.some((f) => f.startsWith('--max-semi-space-size=')));
  });

  it("reads the runtime stage's ENV, continued lines included, PATH left out", () => {
    const dockerfile = [
      'FROM build AS b',
      'ENV BUILD_ONLY=1',
      'FROM scratch',
      'ENV A=1 \\',
      '    B="two" \\',
      '    PATH=/bin',
      'ENV C=3',
      'ENTRYPOINT ["node", "/x.js"]',
    ].join('\n');
    assert.deepEqual(imageEnv(dockerfile), { A: '1', B: 'two', C: '3' });
    assert.throws(() => imageEnv('FROM x\nENV A 1\n'), /only k=v/);
  });

  it('passes the allocator setting of the real Dockerfile', () => {
    assert.equal(imageRuntimeOf(repoRoot).env.MALLOC_ARENA_MAX, '1');
  });
});
