import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../core/cli/main.ts';
import { bootstrap, settingDeclarations } from '../../core/composition/bootstrap.ts';
import { driverProblems } from '../../core/composition/driver-contract.ts';
import { SDK_VERSION, SettingsError } from '../../core/sdk/index.ts';
import { CORE_SETTINGS } from '../../core/settings/core-settings.ts';
import { istioDriver } from '../../drivers/istio/index.ts';
import { exposedApi } from '../support/api-fixtures.ts';
import { fakeIo } from '../support/fake-io.ts';

/** Out-of-tree drivers: `driver: module:<package or file>`, checked against the contract at start. */

const dir = mkdtempSync(join(tmpdir(), 'oda-module-driver-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A driver module in plain JavaScript, importing only the SDK, as a vendor would ship it. */
const ACME = `
import { SettingsError, outputMetadata, required } from 'oda-api-operator/sdk';
const KIND = { apiVersion: 'acme.example.com/v1', kind: 'AcmeRoute', plural: 'acmeroutes' };
export const driver = {
  id: 'acme',
  description: 'Acme gateway',
  ownedKinds: [KIND],
  settings: [{ key: 'acmeRealm', env: ['ACME_REALM'], flag: 'acme-realm', description: 'realm', default: 'main' }],
  sdkVersion: '${SDK_VERSION}',
  parseSettings(raw) {
    const realm = required(raw, 'acmeRealm');
    if (realm === 'bad') throw new SettingsError('acmeRealm', 'must not be bad');
    return { realm };
  },
  translate: (input) => ({
    objects: [{ apiVersion: KIND.apiVersion, kind: KIND.kind, metadata: outputMetadata(input),
      spec: { realm: input.settings.realm, prefix: input.api.path } }],
    conditions: [],
  }),
  addressSource: () => ({ type: 'route-status', kind: KIND }),
  routeClaim: (api) => ({ gateway: 'acme', host: api.hostname ?? '*' }),
};
`;

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const acme = file('acme.mjs', ACME);
file('as-default.mjs', ACME.replace('export const driver =', 'export default'));
file('empty.mjs', 'export const something = 1;\n');
file('broken.mjs', "export default { id: 'Not_Kebab', ownedKinds: [], settings: [{ key: 'driver' }] };\n");
file('istio-again.mjs', ACME.replace("id: 'acme'", "id: 'istio'"));
file('future.mjs', ACME.replace(`sdkVersion: '${SDK_VERSION}'`, "sdkVersion: '99.0.0'"));

const boot = (flags: Record<string, string>, env: Record<string, string> = {}, config?: string) =>
  bootstrap(
    {
      flags,
      env,
      readFile: (path) => {
        if (path === 'config.yaml' && config !== undefined) return config;
        throw new Error(`ENOENT ${path}`);
      },
      ...(config === undefined ? {} : { configFile: 'config.yaml' }),
    },
    undefined,
    { cwd: dir },
  );

describe('out-of-tree drivers', () => {
  it('loads a driver module by file path; its settings come from flags, environment and config file', async () => {
    const byFlag = await boot({ driver: 'module:./acme.mjs', acmeRealm: 'flag' });
    assert.equal(byFlag.active.driver.id, 'acme');
    assert.equal(byFlag.settings.driver, 'acme');
    assert.deepEqual(byFlag.active.settings, { realm: 'flag' });
    const byEnv = await boot({}, { ODA_API_OPERATOR_DRIVER: `module:${acme}`, ACME_REALM: 'env' });
    assert.deepEqual(byEnv.active.settings, { realm: 'env' });
    const byFile = await boot({}, {}, 'driver: module:./acme.mjs\nacmeRealm: file\n');
    assert.deepEqual(byFile.active.settings, { realm: 'file' });
    const byDefault = await boot({ driver: 'module:./as-default.mjs' });
    assert.deepEqual(byDefault.active.settings, { realm: 'main' });
  });

  it('stops with one line naming the setting when the module is not a driver', async () => {
    const refuse = async (flags: Record<string, string>, message: RegExp) => {
      const error = await boot(flags).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof SettingsError, `expected a SettingsError, got ${String(error)}`);
      assert.equal(error.message.split('\n').length, 1);
      assert.match(error.message, message);
    };
    await refuse(
      { driver: 'module:./missing.mjs' },
      /^invalid setting driver \(flag --driver\): cannot load module \.\/missing\.mjs: /,
    );
    await refuse({ driver: 'module:./empty.mjs' }, /module \.\/empty\.mjs exports no driver/);
    await refuse(
      { driver: 'module:./broken.mjs' },
      /module \.\/broken\.mjs is not a valid driver: id must be a kebab-case name .*"Not_Kebab"; .*ownedKinds must be a non-empty array; .*key driver is already used by the core.*translate must be a function/,
    );
    await refuse({ driver: 'module:./istio-again.mjs' }, /has the id of a built-in driver: istio/);
    await refuse({ driver: 'module:./future.mjs' }, /built for SDK 99\.0\.0, this operator provides SDK /);
    await refuse({ driver: 'module:' }, /module: needs a package name or a file path/);
    await refuse(
      { driver: 'module:./acme.mjs', acmeRealm: 'bad' },
      /^invalid setting acmeRealm \(flag --acme-realm\): must not be bad$/,
    );
  });

  it('accepts the module driver’s flags on the command line and exits 2 on a bad module', async () => {
    const declarations = await settingDeclarations(['--driver', `module:${acme}`], { env: {}, readFile: () => '' });
    assert.ok(declarations.some((d) => d.flag === 'acme-realm'));
    const input = file('api.json', JSON.stringify(exposedApi()));
    const io = fakeIo();
    const code = await main(['render', `--driver=module:${acme}`, '--acme-realm', 'cli', '-f', input], io);
    assert.equal(code, 0, io.err());
    assert.match(io.out(), /kind: AcmeRoute[\s\S]*realm: cli/);
    const bad = fakeIo();
    assert.equal(await main(['render', '--driver', `module:${join(dir, 'empty.mjs')}`, '-f', input], bad), 2);
    assert.equal(bad.err().trim().split('\n').length, 1);
  });

  it('checks the contract of any value', () => {
    assert.deepEqual(driverProblems(istioDriver, CORE_SETTINGS), []);
    assert.deepEqual(driverProblems(null, CORE_SETTINGS), ['a driver must be an object, got null']);
    const problems = driverProblems(
      {
        ...istioDriver,
        ownedKinds: [{ apiVersion: 'Networking/V1', kind: 'virtualService', plural: 'Virtual Services' }],
        settings: [{ key: 'x', env: ['LOGGING'], flag: 'log-level', description: 'd' }],
        routeConditions: 'no',
      },
      CORE_SETTINGS,
    );
    assert.deepEqual(problems, [
      'ownedKinds[0].apiVersion must be "group/version" or "v1", got "Networking/V1"',
      'ownedKinds[0].kind must be PascalCase, got "virtualService"',
      'ownedKinds[0].plural must be a lower-case resource name, got "Virtual Services"',
      'settings[0]: flag --log-level is already used by the core',
      'settings[0]: variable LOGGING is already used by the core',
      'routeConditions must be a function when present',
    ]);
  });

  it('recognizes a SettingsError made by another copy of the SDK', () => {
    class Foreign extends Error {
      constructor() {
        super('invalid setting x: y');
        Object.defineProperty(this, Symbol.for('oda-api-operator.SettingsError'), { value: true });
      }
    }
    assert.ok(new Foreign() instanceof SettingsError);
    assert.ok(!(new Error('x') instanceof SettingsError));
  });
});
