import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { main } from '../../core/cli/main.ts';
import { fakeIo } from '../support/fake-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'oda-render-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const VALID = `apiVersion: oda.tmforum.org/v1
kind: ExposedAPI
metadata: {name: catalog, namespace: shop}
spec: {name: catalog, apiType: openapi, implementation: catalog-api, path: /catalog/v4, port: 8080}
`;
const INVALID = `apiVersion: oda.tmforum.org/v1beta3
kind: ExposedAPI
metadata: {name: broken, namespace: shop}
spec: {name: broken, apiType: openapi, implementation: broken-api, path: nope, port: 0}
`;
const OTHER = `apiVersion: v1
kind: Service
metadata: {name: catalog-api, namespace: shop}
`;

async function run(args: string[], io = fakeIo()): Promise<{ code: number; out: string; err: string }> {
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('render command', () => {
  it('prints desired objects as YAML and exits 0 when all inputs are valid', async () => {
    writeFileSync(join(dir, 'valid.yaml'), `${VALID}---\n${OTHER}`);
    const { code, out, err } = await run(['render', '-f', join(dir, 'valid.yaml')]);
    assert.equal(code, 0);
    assert.equal(err, '');
    const docs = parseAllDocuments(out).map((d) => d.toJS() as { kind: string; spec: { gateways: string[] } });
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['VirtualService'],
    );
    assert.deepEqual(docs[0]?.spec.gateways, ['component-gateway']);
  });

  it('reports each invalid object on one stderr line, prints the valid ones, exits 1', async () => {
    const io = fakeIo({ stdin: `${INVALID}---\n${VALID}` });
    const { code, out, err } = await run(['render', '--driver', 'simple-ingress', '-f', '-'], io);
    assert.equal(code, 1);
    const lines = err.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] ?? '',
      /^ExposedAPI shop\/broken: spec\.path: must start with "\/"; spec\.port: must be an integer/,
    );
    assert.match(out, /kind: Ingress/);
  });

  it('prints a v1 List in JSON and reads directories recursively in a stable order', async () => {
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'b.yaml'), VALID.replace(/catalog/g, 'bravo'));
    writeFileSync(join(dir, 'tree', 'sub', 'a.json'), JSON.stringify(parse(VALID.replace(/catalog/g, 'alpha'))));
    writeFileSync(join(dir, 'tree', 'notes.txt'), 'ignored');
    const { code, out } = await run(['render', '-f', join(dir, 'tree'), '-o', 'json']);
    assert.equal(code, 0);
    const list = JSON.parse(out) as { apiVersion: string; kind: string; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      ['alpha', 'bravo'],
    );
  });

  it('honours ODA environment names and setting flags', async () => {
    writeFileSync(join(dir, 'env.yaml'), VALID);
    const io = fakeIo({
      env: {
        APIOPERATORISTIO_COMPONENTGATEWAY: 'canvas/component-gateway',
        APIOPERATORISTIO_PUBLICHOSTNAME: 'api.example.org',
      },
    });
    const { out } = await run(['render', '-f', join(dir, 'env.yaml')], io);
    assert.match(out, /- canvas\/component-gateway/);
    assert.match(out, /- api\.example\.org/);
    const flagged = await run([
      'render',
      '-f',
      join(dir, 'env.yaml'),
      '--driver',
      'simple-ingress',
      '--ingress-class',
      'traefik',
    ]);
    assert.match(flagged.out, /ingressClassName: traefik/);
  });

  it('exits 2 with one line on bad settings and usage', async () => {
    writeFileSync(join(dir, 'v.yaml'), VALID);
    const cases: [string[], RegExp][] = [
      [
        ['render', '-f', join(dir, 'v.yaml'), '--driver', 'kong'],
        /^oda-api-operator: invalid setting driver \(flag --driver\): unknown driver "kong"/,
      ],
      [['render', '-f', join(dir, 'v.yaml'), '--log-level', 'loud'], /invalid setting logLevel/],
      [['render'], /needs at least one -f/],
      [['render', '-f', join(dir, 'v.yaml'), '--bogus'], /Unknown option '--bogus'/],
      [['render', '-f', join(dir, 'v.yaml'), '-o', 'xml'], /--output must be yaml or json/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, pattern] of cases) {
      const { code, err } = await run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err, pattern);
      assert.equal(err.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}`);
    }
  });

  it('reports unreadable files and broken YAML but still renders the rest', async () => {
    writeFileSync(join(dir, 'broken.yaml'), `${VALID}---\nkey: [unclosed\n`);
    const { code, out, err } = await run(['render', '-f', join(dir, 'broken.yaml'), '-f', join(dir, 'nope.yaml')]);
    assert.equal(code, 1);
    assert.match(out, /kind: VirtualService/);
    assert.match(err, /broken\.yaml#2: invalid YAML/);
    assert.match(err, /nope\.yaml: no such file or directory/);
  });

  it('documents every option in --help and prints the version', async () => {
    const help = await run(['render', '--help']);
    assert.equal(help.code, 0);
    for (const word of [
      '--filename',
      '--output',
      '--namespace',
      '--config',
      '--driver',
      '--component-gateway',
      'APIOPERATORISTIO_PUBLICHOSTNAME',
      'COMPONENT_NAMESPACES',
      'INGRESS_CLASS',
      'OPENMETRICS_IMPLEMENTATION',
      'LOGGING',
    ]) {
      assert.ok(help.out.includes(word), word);
    }
    const version = await run(['--version']);
    assert.match(version.out, /^\d+\.\d+\.\d+/);
  });
});
