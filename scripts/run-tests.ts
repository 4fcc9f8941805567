/**
 * `npm test`: every suite that must run, in order, each reported by node's test runner:
 *   unit + golden + conformance (no cluster), integration (local control plane with the project's CRDs) and
 *   integration-upstream (the ExposedAPI CRD exactly as upstream ships it, no status subresource)
 *   and faults (crashes of the API server, etcd and the operator; leader failover).
 * A suite that ran no test, or skipped or left a test as todo, fails the run. Ends with the line
 * `N passed, N failed`. Pass suite names to run only those: `npm test -- unit golden`. The image
 * suite (the operator image under testcontainers) joins the default run with ODA_TEST_IMAGE=1.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, testKubeconfigVariable } from '../test/cluster/index.ts';
import type { CrdVariant, RunningCluster } from '../test/cluster/index.ts';

interface Suite {
  readonly name: string;
  readonly globs: readonly string[];
  readonly cluster?: CrdVariant;
  /** Runs by default only when this environment variable is `1` (it needs Docker and a built image). */
  readonly optIn?: string;
}

const SUITES: readonly Suite[] = [
  { name: 'unit', globs: ['test/unit/**/*.test.ts'] },
  { name: 'golden', globs: ['test/golden/**/*.test.ts'] },
  { name: 'conformance', globs: ['test/conformance/**/*.test.ts'] },
  { name: 'integration', globs: ['test/integration/**/*.test.ts'], cluster: 'project' },
  { name: 'integration-upstream', globs: ['test/integration-upstream/**/*.test.ts'], cluster: 'upstream' },
  // Fault injection: each file starts (and crashes) its own control plane.
  { name: 'faults', globs: ['test/faults/**/*.test.ts'] },
  // The operator image run by testcontainers: needs dockerd and scripts/image-build.sh first.
  { name: 'image', globs: ['test/image/**/*.test.ts'], cluster: 'project', optIn: 'ODA_TEST_IMAGE' },
];

const ROOT = join(import.meta.dirname, '..');
const RESULTS = join(ROOT, '.test-results');

interface Counts {
  tests: number;
  failed: number;
  skipped: number;
}

function countJunit(file: string): Counts {
  const xml = readFileSync(file, 'utf8');
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  return {
    tests: cases.length,
    failed: cases.filter((c) => c.includes('<failure')).length,
    skipped: cases.filter((c) => c.includes('<skipped')).length,
  };
}

function runNodeTests(suite: Suite, env: NodeJS.ProcessEnv): Promise<number> {
  const junit = join(RESULTS, `${suite.name}.xml`);
  const args = [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${junit}`,
    ...suite.globs,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runSuite(suite: Suite): Promise<Counts & { exitCode: number }> {
  console.log(`\n=== suite ${suite.name} ===`);
  let cluster: RunningCluster | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  try {
    if (suite.cluster) {
      const started = Date.now();
      cluster = await startCluster({ crdVariant: suite.cluster, log: (m) => console.log(`[cluster] ${m}`) });
      console.log(
        `[cluster] ${cluster.provider} ${cluster.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      env[testKubeconfigVariable] = cluster.kubeconfigPath;
    }
    const exitCode = await runNodeTests(suite, env);
    return { ...countJunit(join(RESULTS, `${suite.name}.xml`)), exitCode };
  } finally {
    await cluster?.stop();
  }
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length > 0)
    throw new Error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  let passed = 0;
  let failed = 0;
  const verdicts: string[] = [];
  const selected = SUITES.filter((s) =>
    wanted.length > 0 ? wanted.includes(s.name) : s.optIn === undefined || process.env[s.optIn] === '1',
  );
  for (const suite of selected) {
    let result: Counts & { exitCode: number };
    try {
      result = await runSuite(suite);
    } catch (error) {
      console.error(
        `suite ${suite.name} could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      result = { tests: 0, failed: 1, skipped: 0, exitCode: 1 };
    }
    const problems: string[] = [];
    if (result.tests === 0) problems.push('ran no test');
    if (result.skipped > 0) problems.push(`${result.skipped} skipped or todo`);
    if (result.exitCode !== 0 && result.failed === 0) problems.push(`test runner exited ${result.exitCode}`);
    passed += result.tests - result.failed - result.skipped;
    failed += result.failed + (problems.length > 0 ? 1 : 0);
    verdicts.push(
      `${suite.name}: ${result.tests} tests, ${result.failed} failed${problems.length ? ` (${problems.join(', ')})` : ''}`,
    );
  }
  console.log(`\n${verdicts.join('\n')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
