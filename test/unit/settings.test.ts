import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrap } from '../../core/composition/bootstrap.ts';
import type { SettingSources } from '../../core/settings/load-settings.ts';
import { globToRegExp, namespaceSelected } from '../../core/settings/settings.ts';
import { SettingsError } from '../../core/sdk/errors.ts';
import type { IstioSettings } from '../../drivers/istio/istio-settings.ts';

function sources(partial: Partial<SettingSources> & { files?: Record<string, string> } = {}): SettingSources {
  const files = partial.files ?? {};
  return {
    flags: partial.flags ?? {},
    env: partial.env ?? {},
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
    ...(partial.configFile === undefined ? {} : { configFile: partial.configFile }),
  };
}

async function rejects(s: SettingSources, pattern: RegExp): Promise<void> {
  await assert.rejects(bootstrap(s), (error: unknown) => {
    assert.ok(error instanceof SettingsError, String(error));
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

describe('settings', () => {
  it('has the ODA defaults', async () => {
    const { settings, active } = await bootstrap(sources());
    assert.equal(settings.driver, 'istio');
    assert.deepEqual(settings.namespaces, { all: false, patterns: ['components', 'odacompns-*'] });
    assert.equal(settings.urlScheme, 'https');
    assert.equal(settings.logLevel, 'info');
    assert.equal(settings.openMetricsImplementation, 'ServiceMonitor');
    assert.deepEqual((active.settings as IstioSettings).gateway, { name: 'component-gateway' });
    assert.ok(Object.isFrozen(settings.raw) && Object.isFrozen(active.settings));
  });

  it('reads the ODA Canvas environment names', async () => {
    const { settings, active } = await bootstrap(
      sources({
        env: {
          APIOPERATORISTIO_COMPONENTGATEWAY: 'canvas/component-gateway',
          APIOPERATORISTIO_PUBLICHOSTNAME: 'Canvas.Example.org',
          COMPONENT_NAMESPACES: 'components, odacompns-*,team-?',
          OPENMETRICS_IMPLEMENTATION: 'ServiceMonitor',
          LOGGING: '10',
        },
      }),
    );
    const istio = active.settings as IstioSettings;
    assert.deepEqual(istio.gateway, { namespace: 'canvas', name: 'component-gateway' });
    assert.equal(istio.publicHostname, 'canvas.example.org');
    assert.equal(settings.publicHostname, 'canvas.example.org');
    assert.deepEqual(settings.namespaces.patterns, ['components', 'odacompns-*', 'team-?']);
    assert.equal(settings.logLevel, 'debug');
  });

  it('layers defaults < config file < environment < flags', async () => {
    const files = {
      '/etc/oda.yaml': 'driver: simple-ingress\ningressClass: from-file\nurlScheme: http\nlogLevel: warn\n',
    };
    const fileOnly = await bootstrap(sources({ files, configFile: '/etc/oda.yaml' }));
    assert.equal(fileOnly.settings.driver, 'simple-ingress');
    assert.deepEqual(fileOnly.active.settings, { ingressClass: 'from-file' });
    assert.equal(fileOnly.settings.origins.ingressClass, 'config file /etc/oda.yaml');
    const envOver = await bootstrap(
      sources({ files, configFile: '/etc/oda.yaml', env: { INGRESS_CLASS: 'from-env' } }),
    );
    assert.deepEqual(envOver.active.settings, { ingressClass: 'from-env' });
    const flagOver = await bootstrap(
      sources({
        files,
        configFile: '/etc/oda.yaml',
        env: { INGRESS_CLASS: 'from-env' },
        flags: { ingressClass: 'from-flag' },
      }),
    );
    assert.deepEqual(flagOver.active.settings, { ingressClass: 'from-flag' });
    assert.equal(flagOver.settings.urlScheme, 'http');
  });

  it('prefers the canonical environment name over the ODA alias', async () => {
    const { active } = await bootstrap(
      sources({ env: { ODA_API_OPERATOR_COMPONENT_GATEWAY: 'mine', APIOPERATORISTIO_COMPONENTGATEWAY: 'theirs' } }),
    );
    assert.deepEqual((active.settings as IstioSettings).gateway, { name: 'mine' });
  });

  it('accepts Python numeric and named log levels', async () => {
    const cases: [string, string][] = [
      ['20', 'info'],
      ['30', 'warn'],
      ['WARNING', 'warn'],
      ['CRITICAL', 'fatal'],
      ['0', 'trace'],
    ];
    for (const [value, level] of cases) {
      assert.equal((await bootstrap(sources({ env: { LOGGING: value } }))).settings.logLevel, level);
    }
  });

  it('stops on bad settings with a message naming the setting and its origin', async () => {
    await rejects(
      sources({ flags: { driver: 'kong' } }),
      /^invalid setting driver \(flag --driver\): unknown driver "kong"; known: istio, simple-ingress, gateway-api$/,
    );
    await rejects(
      sources({ env: { APIOPERATORISTIO_COMPONENTGATEWAY: 'a/b/c' } }),
      /componentGateway \(env APIOPERATORISTIO_COMPONENTGATEWAY\)/,
    );
    await rejects(sources({ env: { APIOPERATORISTIO_COMPONENTGATEWAY: 'Canvas/GW' } }), /componentGateway/);
    await rejects(sources({ env: { LOGGING: 'verbose' } }), /logLevel \(env LOGGING\): unknown level "verbose"/);
    await rejects(sources({ env: { LOGGING: '60' } }), /logLevel/);
    await rejects(
      sources({ env: { OPENMETRICS_IMPLEMENTATION: 'DataDogAnnotation' } }),
      /openMetricsImplementation.*not supported yet/,
    );
    await rejects(sources({ env: { COMPONENT_NAMESPACES: 'Bad_NS' } }), /namespaces/);
    await rejects(sources({ env: { APIOPERATORISTIO_PUBLICHOSTNAME: 'not a host' } }), /publicHostname/);
    await rejects(
      sources({ flags: { driver: 'simple-ingress', ingressClass: 'Bad Class' } }),
      /ingressClass \(flag --ingress-class\)/,
    );
    await rejects(sources({ flags: { urlScheme: 'ftp' } }), /urlScheme/);
    await rejects(sources({ flags: { gatewaySelector: 'istio' } }), /gatewaySelector/);
  });

  it('rejects unknown keys, bad YAML and missing config files', async () => {
    await rejects(
      sources({ files: { c: 'drvier: istio\n' }, configFile: 'c' }),
      /invalid setting drvier: unknown setting in config file c/,
    );
    await rejects(sources({ files: { c: 'driver: [istio\n' }, configFile: 'c' }), /config: c is not valid YAML/);
    await rejects(sources({ files: { c: '- a\n' }, configFile: 'c' }), /must hold a mapping/);
    await rejects(
      sources({ files: { c: 'driver: {a: 1}\n' }, configFile: 'c' }),
      /driver: in config file c must be a scalar/,
    );
    await rejects(sources({ configFile: 'missing.yaml' }), /config: cannot read missing.yaml/);
  });

  it('accepts lists in the config file', async () => {
    const files = { c: 'namespaces: [components, "odacompns-*"]\n' };
    const { settings } = await bootstrap(sources({ files, configFile: 'c' }));
    assert.deepEqual(settings.namespaces.patterns, ['components', 'odacompns-*']);
  });

  it('matches namespace globs', () => {
    const selector = { all: false, patterns: ['components', 'odacompns-*', 'team-?'] };
    assert.ok(namespaceSelected(selector, 'components'));
    assert.ok(namespaceSelected(selector, 'odacompns-42'));
    assert.ok(namespaceSelected(selector, 'team-a'));
    assert.ok(!namespaceSelected(selector, 'team-ab'));
    assert.ok(!namespaceSelected(selector, 'components2'));
    assert.ok(namespaceSelected({ all: true, patterns: ['*'] }, 'anything'));
    assert.equal(globToRegExp('a.b*').source, '^a\\.b.*$');
  });
});
