/**
 * The conformance kit (`oda-api-operator/sdk/testkit`): the tests every driver passes, registered
 * with `node:test` by one call. `runConformance` is offline (pure functions, golden cases);
 * `runLiveConformance` runs the driver inside the real operator against a cluster.
 * See drivers/README.md, "Testing with the conformance kit".
 */
export { runConformance } from './offline.ts';
export type { ConformanceOptions } from './offline.ts';
export { goldenCasesDir } from './golden-cases.ts';
export { runLiveConformance } from './live.ts';
export type { LiveConformanceOptions, LiveContext, LiveHooks } from './live.ts';
export type { LiveClient } from './live-client.ts';
