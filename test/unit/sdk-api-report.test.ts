import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SDK_VERSION } from '../../core/sdk/index.ts';
import { REPORT, sdkReport } from '../../scripts/sdk-report.ts';

/** Changing the SDK surface is a deliberate act: the committed report must match the sources. */
describe('SDK API report', () => {
  it('matches the declarations of oda-api-operator/sdk and /sdk/testkit', () => {
    const committed = readFileSync(REPORT, 'utf8');
    assert.ok(
      committed === sdkReport(),
      'The SDK surface differs from core/sdk/api-report.md. If the change is intended, bump SDK_VERSION in ' +
        'core/sdk/version.ts (major: something removed or changed; minor: something added), run ' +
        '`npm run sdk:report`, and commit the new report with the change. Otherwise, undo the change.',
    );
  });

  it('records the current SDK_VERSION, a semantic version', () => {
    assert.match(SDK_VERSION, /^\d+\.\d+\.\d+$/);
    assert.match(readFileSync(REPORT, 'utf8'), new RegExp(`^SDK_VERSION: ${SDK_VERSION.replaceAll('.', '\\.')}$`, 'm'));
  });
});
