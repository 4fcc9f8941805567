import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectTestCluster } from '../cluster/index.ts';
import { exposedApiStatusSubresource } from '../integration/control-plane-fixtures.ts';

const cluster = connectTestCluster();

describe('upstream ExposedAPI CRD on the shared control plane', { timeout: 60_000 }, () => {
  it('is installed without the status subresource: status goes through the main resource', async (t) => {
    assert.equal(
      await cluster.crdVariant(),
      'upstream',
      'the test runner installs the upstream variant for this suite',
    );
    await exposedApiStatusSubresource.assertAbsent(
      cluster.kubeConfig(),
      await cluster.newNamespace('status-upstream', t),
    );
  });
});
