import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { driverProblems } from '../../composition/driver-contract.ts';
import { isApiObject, normalizeApi } from '../../model/normalize.ts';
import { renderClusterView } from '../../render/render.ts';
import { CORE_SETTINGS } from '../../settings/core-settings.ts';
import type { ActiveDriver } from '../../translate/active-driver.ts';
import { ownerReferenceTo, translateApi } from '../../translate/translate-api.ts';
import type { ApiModel } from '../api-model.ts';
import { ConditionType } from '../conditions.ts';
import type { ClusterView, Driver, RawSettings } from '../driver.ts';
import type { KubeObject } from '../kube-object.ts';
import { addressProblems, conditionProblems, objectProblems, outputShapeProblems } from './checks.ts';
import { goldenCasesDir, readCases, renderCase } from './golden-cases.ts';
import type { GoldenCase } from './golden-cases.ts';
import { boundaryApis, hostileApis, hostileObjects } from './inputs.ts';
import { bootstrapDriver } from './kit-driver.ts';
import { withoutEffects } from './sandbox.ts';
import type { Effects } from './sandbox.ts';
import { deepFreeze, readOnlySet } from './freeze.ts';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The driver under test. */
  readonly driver: Driver;
  /** Setting values by key (as in a config file), over the declared defaults. */
  readonly settings?: RawSettings;
  /**
   * Where the expected output of each case is: `<dir>/<case>.out.yaml`, in the layout of the
   * operator's golden files. With `update` (or `UPDATE_GOLDEN=1`) the kit writes them instead;
   * review them: they are your driver's contract.
   */
  readonly expected: { readonly dir: string; readonly update?: boolean };
  /** Input cases (`<case>.in.yaml`, optional `<case>.settings.yaml`); default: the operator's own. */
  readonly cases?: { readonly dir: string };
  /** Extra check of every output object, e.g. against your CRD's schema: problems in words. */
  readonly validate?: (object: KubeObject) => readonly string[];
}

const HEADER =
  '# Expected output of the oda-api-operator conformance kit. Regenerate with UPDATE_GOLDEN=1 and review; do not edit by hand.\n';

const fail = (problems: readonly string[], what: string): void => {
  assert.deepEqual(problems, [], `${what}:\n  ${problems.join('\n  ')}`);
};

/**
 * Registers the offline conformance tests of a driver with `node:test`: the driver contract, the
 * shared golden cases against your expected outputs, purity and determinism, untouched inputs,
 * Kubernetes limits and ownership of every output, and conditions instead of exceptions on
 * hostile input. Call it at the top level of a test file run by `node --test`.
 */
export function runConformance(options: ConformanceOptions): void {
  const { driver } = options;
  const cases = readCases(options.cases?.dir ?? goldenCasesDir());
  const update = options.expected.update ?? process.env.UPDATE_GOLDEN === '1';
  describe(`driver conformance: ${driver.id}`, () => {
    let active: ActiveDriver;
    before(async () => {
      active = (await bootstrapDriver(driver, options.settings)).active;
    });

    it('implements the driver contract', () => {
      fail(driverProblems(driver, CORE_SETTINGS), 'the driver does not implement the contract');
    });

    describe('golden cases', () => {
      for (const c of cases) {
        it(c.name, async () => {
          const caseActive = (await bootstrapDriver(driver, { ...options.settings, ...c.settings })).active;
          checkCase(c, caseActive, options);
          compareExpected(c, caseActive, options.expected.dir, update);
        });
      }
    });

    it('translates deterministically, without I/O, clock, randomness, environment or logging', () => {
      for (const api of boundaryApis()) {
        for (const cluster of clusterViews(active)) {
          const first = withoutEffects(() => translateApi(active, api, cluster, ownerReferenceTo(withUid(api))));
          const second = withoutEffects(() => translateApi(active, api, cluster, ownerReferenceTo(withUid(api))));
          fail([...first.violations, ...second.violations], `translate of ${api.source.name} had side effects`);
          assert.equal(first.error, undefined, `translate of ${api.source.name} threw: ${String(first.error)}`);
          assert.deepEqual(first.value, second.value, `translate of ${api.source.name} is not deterministic`);
        }
      }
    });

    it('leaves its input untouched (frozen input)', () => {
      for (const api of boundaryApis()) {
        const owner = ownerReferenceTo(withUid(api));
        const cluster = clusterViews(active)[0] ?? { availableKinds: new Set<string>() };
        const expected = driver.translate({ api, settings: active.settings, cluster, ...(owner ? { owner } : {}) });
        const frozen = {
          api: deepFreeze(structuredClone(api)),
          settings: deepFreeze(active.settings),
          cluster: deepFreeze({ availableKinds: readOnlySet(cluster.availableKinds) }),
          ...(owner ? { owner: deepFreeze({ ...owner }) } : {}),
        };
        const run = withoutEffects(() => driver.translate(frozen));
        assert.equal(run.error, undefined, `translate of ${api.source.name} changed its input: ${String(run.error)}`);
        assert.deepEqual(run.value, expected, `translate of ${api.source.name} gave another result on frozen input`);
      }
    });

    it('keeps names, labels, namespaces and owner references valid at the limits', () => {
      for (const api of boundaryApis()) {
        for (const cluster of clusterViews(active)) {
          const owner = ownerReferenceTo(withUid(api));
          const raw = driver.translate({ api, settings: active.settings, cluster, ...(owner ? { owner } : {}) });
          fail(outputShapeProblems(raw), `translate of ${api.source.name}`);
          const out = translateApi(active, api, cluster, owner);
          fail(
            objectProblems(out.objects, {
              driverId: driver.id,
              ownedKinds: driver.ownedKinds,
              source: api.source,
              ...(owner ? { owner } : {}),
            }),
            `outputs of ${api.source.name}`,
          );
          fail(outputValidation(out.objects, options), `outputs of ${api.source.name}`);
          fail(exposureProblems(out), `translate of ${api.source.name}`);
          const claim = driver.routeClaim(api, active.settings);
          assert.ok(
            typeof claim.gateway === 'string' && typeof claim.host === 'string',
            'routeClaim returns { gateway, host }',
          );
        }
      }
    });

    it('answers input the core would reject with a result, never an exception', () => {
      const [base] = boundaryApis();
      assert.ok(base);
      for (const [i, api] of hostileApis(base).entries()) {
        for (const cluster of clusterViews(active)) {
          const run = withoutEffects(() => ({
            output: driver.translate({ api, settings: active.settings, cluster }),
            claim: driver.routeClaim(api, active.settings),
          }));
          assert.equal(run.error, undefined, `hostile input #${i} made the driver throw: ${String(run.error)}`);
          fail(run.violations, `hostile input #${i}: side effects`);
          fail(outputShapeProblems(run.value?.output, false), `hostile input #${i}`);
        }
      }
    });

    it('reads live objects (address source, route status) purely and never throws', () => {
      const source = withoutEffects(() => driver.addressSource(active.settings));
      assert.equal(source.error, undefined, `addressSource threw: ${String(source.error)}`);
      fail(source.violations, 'addressSource: side effects');
      const address = source.value;
      assert.ok(address && ['service', 'route-status', 'object'].includes(address.type), 'addressSource type');
      if (address.type === 'route-status') {
        assert.ok(
          driver.ownedKinds.some((k) => k.apiVersion === address.kind.apiVersion && k.kind === address.kind.kind),
          'a route-status address source names an owned kind',
        );
      }
      for (const [i, object] of hostileObjects().entries()) {
        if (address.type === 'object') {
          const read = address.read.bind(address);
          const reading: Effects<unknown[]> = withoutEffects(() => [read(object), read(object)]);
          assert.equal(reading.error, undefined, `AddressSource.read threw on junk #${i}: ${String(reading.error)}`);
          fail(reading.violations, `AddressSource.read on junk #${i}: side effects`);
          fail(addressProblems(reading.value?.[0]), `AddressSource.read on junk #${i}`);
          assert.deepEqual(reading.value?.[0], reading.value?.[1], 'AddressSource.read is not deterministic');
        }
        if (driver.routeConditions !== undefined) {
          const conditions = driver.routeConditions.bind(driver);
          const run = withoutEffects(() => [conditions(object, active.settings), conditions(object, active.settings)]);
          assert.equal(run.error, undefined, `routeConditions threw on junk #${i}: ${String(run.error)}`);
          fail(run.violations, `routeConditions on junk #${i}: side effects`);
          fail(conditionProblems(run.value?.[0] ?? []), `routeConditions on junk #${i}`);
          assert.deepEqual(run.value?.[0], run.value?.[1], 'routeConditions is not deterministic');
        }
      }
    });
  });
}

/** Every optional kind installed, and none. */
function clusterViews(active: ActiveDriver): ClusterView[] {
  return [renderClusterView(active), { availableKinds: new Set<string>() }];
}

function withUid(api: ApiModel): ApiModel {
  return { ...api, source: { ...api.source, uid: `uid-${api.source.name.slice(0, 20)}` } };
}

function outputValidation(objects: readonly KubeObject[], options: ConformanceOptions): string[] {
  const validate = options.validate;
  if (validate === undefined) return [];
  return objects.flatMap((o) => validate(o).map((p) => `${o.kind} ${o.metadata.name}: ${p}`));
}

/** An API the driver cannot expose must say so: no objects without an `Unsupported` condition. */
function exposureProblems(out: { objects: readonly KubeObject[]; conditions: readonly { type: string }[] }): string[] {
  return out.objects.length > 0 || out.conditions.some((c) => c.type === ConditionType.Unsupported)
    ? []
    : ['returned no object and no Unsupported condition saying why'];
}

/** Per API of a case: shape, limits, ownership, conditions, and side effects of the whole render. */
function checkCase(c: GoldenCase, active: ActiveDriver, options: ConformanceOptions): void {
  const cluster = renderClusterView(active);
  for (const doc of c.documents.filter((d) => isApiObject(d.value))) {
    const result = normalizeApi(doc.value, { defaultNamespace: 'default' });
    if (!result.ok) continue;
    const run = withoutEffects(() => translateApi(active, result.api, cluster));
    const where = `${c.name}: ${result.api.source.name}`;
    assert.equal(run.error, undefined, `${where}: translate threw: ${String(run.error)}`);
    fail(run.violations, `${where}: side effects`);
    const out = run.value;
    assert.ok(out);
    fail(outputShapeProblems(out), where);
    fail(
      objectProblems(out.objects, {
        driverId: active.driver.id,
        ownedKinds: active.driver.ownedKinds,
        source: result.api.source,
      }),
      where,
    );
    fail(outputValidation(out.objects, options), where);
    fail(exposureProblems(out), where);
  }
}

function compareExpected(c: GoldenCase, active: ActiveDriver, dir: string, update: boolean): void {
  const actual = renderCase(c.documents, active);
  assert.deepEqual(renderCase(c.documents, active), actual, `${c.name}: rendering twice gave different results`);
  const file = join(dir, `${c.name}.out.yaml`);
  if (update) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, HEADER + stringify(actual, { lineWidth: 0, aliasDuplicateObjects: false }));
  }
  assert.ok(existsSync(file), `missing expected output ${file}: run once with UPDATE_GOLDEN=1 and review it`);
  const expected: unknown = parse(readFileSync(file, 'utf8'));
  assert.deepEqual(actual, expected, `${file} differs from what the driver renders (UPDATE_GOLDEN=1 regenerates it)`);
}
