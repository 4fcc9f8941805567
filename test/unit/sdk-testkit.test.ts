import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** The conformance kit catches what it promises to catch: each broken driver fails its test. */
const FIXTURE = join(import.meta.dirname, '..', 'conformance', 'fixtures', 'broken-drivers.ts');

function failedTests(broken: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT: the child must report in TAP, not to this test runner.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const child = spawn(process.execPath, ['--test-reporter=tap', FIXTURE], {
      env: { ...env, BROKEN: broken, UPDATE_GOLDEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      resolve([...out.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((m) => m[1] ?? ''));
    });
  });
}

const EXPECTED: Record<string, string> = {
  impure: 'translates deterministically, without I/O, clock, randomness, environment or logging',
  mutating: 'leaves its input untouched (frozen input)',
  'long-names': 'keeps names, labels, namespaces and owner references valid at the limits',
  throwing: 'answers input the core would reject with a result, never an exception',
  'undeclared-kind': 'keeps names, labels, namespaces and owner references valid at the limits',
  'bad-contract': 'implements the driver contract',
  silent: 'keeps names, labels, namespaces and owner references valid at the limits',
};

describe('conformance kit', () => {
  it('fails each broken driver on the rule it breaks', async () => {
    const results = await Promise.all(Object.keys(EXPECTED).map(async (b) => [b, await failedTests(b)] as const));
    for (const [broken, failed] of results) {
      assert.ok(
        failed.includes(EXPECTED[broken] ?? ''),
        `${broken}: expected "${EXPECTED[broken] ?? ''}" to fail; failed: ${JSON.stringify(failed)}`,
      );
    }
    const impure = results.find(([b]) => b === 'impure')?.[1] ?? [];
    assert.ok(impure.includes('v1-openapi'), 'side effects also fail the golden cases');
  });
});
