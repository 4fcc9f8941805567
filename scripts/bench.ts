/**
 * `npm run bench -- --apis <N> [--driver istio|simple-ingress] [--kubeconfig FILE] [--concurrency C]`:
 * cold start against the raw floor, event latency, update storm, steady state and footprint of
 * the operator at N APIs (issue 8). See BENCHMARKS.md for what is measured and the results.
 */
import { repoRoot } from '../test/cluster/assets.ts';
import { parseBenchOptions, usage, UsageError } from '../bench/options.ts';
import { record, runBenchmark } from '../bench/run.ts';
import { cleanup, say } from '../bench/support.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError || (error instanceof Error && 'code' in error))) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const stop = (signal: string): void => {
    say(`${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const started = performance.now();
  try {
    const result = await runBenchmark(options, repoRoot);
    await cleanup.run();
    await record(options, repoRoot, result);
    say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // Not a timing: "no writes when nothing changes" is a property of the operator.
    if (result.steady.writes > 0) {
      say(`error: the operator made ${result.steady.writes} writes in the steady state (must be 0)`);
      return 3;
    }
    return 0;
  } catch (error) {
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup.run();
    return 1;
  }
}

process.exit(await main());
