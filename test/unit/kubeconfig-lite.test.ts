import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { LiteKubeConfig, loadKubeConfig } from '../../core/kube/kubeconfig-lite.ts';

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    clusters: [
      { name: 'k', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=', ...cluster } },
    ],
    users: [{ name: 'u', user }],
  });
}

async function optionsOf(config: LiteKubeConfig | undefined): Promise<RequestOptions> {
  assert.ok(config);
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  return options;
}

describe('LiteKubeConfig', () => {
  it('reads client certificates and the CA of the current context', async () => {
    const config = LiteKubeConfig.fromText(
      kubeconfig({ 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' }),
      '/',
    );
    assert.equal(config?.getCurrentCluster().server, 'https://127.0.0.1:6443');
    const options = await optionsOf(config);
    assert.deepEqual(
      [options.ca, options.cert, options.key],
      [Buffer.from('CA'), Buffer.from('CERT'), Buffer.from('KEY')],
    );
  });

  it('re-reads a token file, relative to the kubeconfig, on every call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-kubeconfig-'));
    writeFileSync(join(dir, 'token'), 'one\n');
    writeFileSync(join(dir, 'config'), kubeconfig({ tokenFile: 'token' }));
    const config = LiteKubeConfig.load(join(dir, 'config'), {});
    assert.deepEqual((await optionsOf(config)).headers, { Authorization: 'Bearer one' });
    writeFileSync(join(dir, 'token'), 'two\n');
    assert.deepEqual((await optionsOf(config)).headers, { Authorization: 'Bearer two' });
  });

  it('leaves exec plugins, auth providers, proxies and several files to client-node', () => {
    assert.equal(LiteKubeConfig.fromText(kubeconfig({ exec: { command: 'aws' } }), '/'), undefined);
    assert.equal(LiteKubeConfig.fromText(kubeconfig({ 'auth-provider': { name: 'oidc' } }), '/'), undefined);
    assert.equal(LiteKubeConfig.fromText(kubeconfig({ token: 't' }, { 'proxy-url': 'http://p' }), '/'), undefined);
    assert.equal(LiteKubeConfig.load('/a:/b', {}), undefined);
  });

  it('uses the service account in a pod', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-sa-'));
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    writeFileSync(join(dir, 'token'), 'sa-token');
    const config = LiteKubeConfig.inCluster(
      { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      dir,
    );
    assert.equal(config?.getCurrentCluster().server, 'https://[fd00::1]:443');
    assert.deepEqual((await optionsOf(config)).headers, { Authorization: 'Bearer sa-token' });
    assert.equal(LiteKubeConfig.inCluster({}, dir), undefined);
  });

  it('loads client-node only for what it cannot serve, and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-load-'));
    writeFileSync(join(dir, 'certs'), kubeconfig({ 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' }));
    writeFileSync(
      join(dir, 'exec'),
      kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x' } }),
    );
    assert.ok((await loadKubeConfig(join(dir, 'certs'), {})) instanceof LiteKubeConfig);
    const viaClientNode = await loadKubeConfig(join(dir, 'exec'), {});
    assert.ok(viaClientNode instanceof KubeConfig);
    assert.equal(viaClientNode.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    await assert.rejects(loadKubeConfig(join(dir, 'missing'), {}), /ENOENT.*missing/);
  });

  it('is not in a pod without the service account token, whatever the environment says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lite-no-sa-'));
    assert.equal(
      LiteKubeConfig.inCluster({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir),
      undefined,
    );
  });
});
