import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, type ClosableKubeClient } from '../core/kube/kube-client.ts';
import { createObject, deleteObject } from '../core/kube/kube-writes.ts';
import { startCluster, type RunningCluster } from '../test/cluster/index.ts';
import { freeLoopbackPorts } from '../test/cluster/free-port.ts';
import { apiServerRequests } from './apiserver-metrics.ts';
import { formatProfile, newestProfile, summarizeProfile, type ProfileSummary } from './cpu-profile.ts';
import { prepareFloor, writeFloor, type FloorOptions, type FloorResult } from './floor.ts';
import { awaitHeapSnapshot, formatHeap, summarizeHeapSnapshot, type HeapSummary } from './heap-snapshot.ts';
import { formatLoad, gitCommit, loadAverage, machineInfo, type LoadAverage } from './machine.ts';
import { diffVerbs, FootprintSampler, formatLatency, latencies, waitIdle, watchReadiness } from './operator-probes.ts';
import { heapUsedBytes, OperatorProcess, requestsByVerb, writesOf } from './operator-process.ts';
import type { BenchOptions } from './options.ts';
import { formatCpu, PhaseClock, type PhaseRecord } from './phase-clock.ts';
import { controlPlanePids } from './process-cpu.ts';
import { appendRow, requestsPerApiText, writeResult, type BenchResult } from './report.ts';
import { mib, percentiles, round2, round3 } from './stats.ts';
import { cleanup, deleteNamespace, say, waitApiServerQuiet, within } from './support.ts';
import { converged, Tracker, type ApiView } from './tracker.ts';
import {
  apiRefs,
  createApis,
  createGateway,
  createImplementations,
  createNamespace,
  exposedApi,
  keyOf,
  routeType,
  runNames,
  setGatewayAddress,
  setIngressAddresses,
  types,
  type ApiSpecRef,
  type RunNames,
} from './workload.ts';

const FIRST_ADDRESS = '192.0.2.10';
const SECOND_ADDRESS = '192.0.2.20';
/** simple-ingress: URLs carry this host (the Ingresses have no address until the storm). */
const PUBLIC_HOSTNAME = 'apis.bench.example';

function perApi(delta: Readonly<Record<string, number>>, apis: number): Record<string, number> {
  return Object.fromEntries(Object.entries(delta).map(([k, v]) => [k, round3(v / apis)]));
}

interface Cluster {
  readonly kubeconfigPath: string;
  readonly version: string;
  readonly description: string;
}

async function openCluster(options: BenchOptions): Promise<Cluster> {
  if (options.kubeconfig !== undefined) {
    const kc = new KubeConfig();
    kc.loadFromFile(options.kubeconfig);
    const client = createKubeClient(kc);
    try {
      const version = (await client.request<{ gitVersion?: string }>({ method: 'GET', path: '/version' })).body;
      return {
        kubeconfigPath: options.kubeconfig,
        version: version.gitVersion ?? 'unknown',
        description: `kubeconfig ${kc.getCurrentCluster()?.server ?? ''}`,
      };
    } finally {
      client.close();
    }
  }
  say('starting the local control plane (etcd, kube-apiserver, kube-controller-manager on loopback)');
  const started = performance.now();
  const cluster: RunningCluster = await startCluster({
    provider: 'local',
    crdVariant: 'project',
    log: (m) => say(`  ${m}`),
  });
  cleanup.push('stop the control plane', () => cluster.stop());
  say(`control plane ${cluster.version} up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { kubeconfigPath: cluster.kubeconfigPath, version: cluster.version, description: 'local control plane' };
}

async function createWorkload(
  client: ClosableKubeClient,
  options: BenchOptions,
  names: RunNames,
  resident: readonly ApiSpecRef[],
  incoming: readonly ApiSpecRef[],
): Promise<{ seconds: number; objects: number }> {
  const started = performance.now();
  for (const ns of [names.apis, names.events, names.gateway]) await createNamespace(client, ns, names.runId);
  if (options.driver === 'istio') await createGateway(client, names, FIRST_ADDRESS);
  await createImplementations(client, [...resident, ...incoming], names.runId, options.setupParallelism);
  say(`  ${resident.length + incoming.length} Services and EndpointSlices created`);
  await createApis(client, resident, names.runId, options.setupParallelism);
  const seconds = (performance.now() - started) / 1000;
  const objects = 3 + (options.driver === 'istio' ? 1 : 0) + 2 * (resident.length + incoming.length) + resident.length;
  return { seconds, objects };
}

/** The floor (see BENCHMARKS.md), then the deletion of its objects. */
async function measureFloor(
  client: ClosableKubeClient,
  clock: PhaseClock,
  options: BenchOptions,
  names: RunNames,
): Promise<{ result: FloorResult; phase: PhaseRecord }> {
  const runId = names.runId;
  say(`floor: a plain client writes ${options.apis} routes and statuses, ${options.concurrency} in flight`);
  await createNamespace(client, names.floor, runId);
  const floorOptions: FloorOptions = {
    client,
    driver: options.driver,
    refs: apiRefs(names.floor, 'api', options.apis),
    runId,
    concurrency: options.concurrency,
    setupParallelism: options.setupParallelism,
    address: FIRST_ADDRESS,
    ...(options.driver === 'simple-ingress' ? { publicHostname: PUBLIC_HOSTNAME } : {}),
  };
  const prepared = await prepareFloor(floorOptions);
  await waitApiServerQuiet(client);
  const endFloor = await clock.begin('floor');
  const floorResult = await writeFloor(floorOptions, prepared);
  const floorPhase = await endFloor();
  say(`  floor ${floorResult.seconds.toFixed(2)} s`);
  say(`  CPU seconds: ${formatCpu(floorPhase.cpuSeconds)}`);
  say(`  API requests per API: ${requestsPerApiText(perApi(floorPhase.apiServerRequests, options.apis))}`);
  const deleted = performance.now();
  await deleteNamespace(client, names.floor, [routeType(options.driver), types.exposedApi]);
  await waitApiServerQuiet(client);
  say(`  floor objects deleted, API server quiet again after ${((performance.now() - deleted) / 1000).toFixed(1)} s`);
  return { result: floorResult, phase: floorPhase };
}

export async function runBenchmark(options: BenchOptions, repoRoot: string): Promise<BenchResult> {
  const notes: string[] = [];
  const loadAtStart = loadAverage();
  say(`load average at start: ${formatLoad(loadAtStart)}`);
  const date = new Date().toISOString();
  const commit = gitCommit(repoRoot);
  const outDir = join(repoRoot, options.outDir);
  await mkdir(outDir, { recursive: true });
  const stem = `${date.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z')}-${options.apis}-${options.driver}`;

  const cluster = await openCluster(options);
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const client = createKubeClient(kc, { writeQps: 1e6, writeBurst: 1e6, userAgent: 'oda-bench' });
  cleanup.push('close the benchmark client', () => Promise.resolve(client.close()));
  const clock = new PhaseClock(options.kubeconfig === undefined ? await controlPlanePids() : {}, () =>
    apiServerRequests(client),
  );

  const runId = Date.now().toString(36).slice(-6);
  const names = runNames(runId);
  if (options.kubeconfig !== undefined) {
    cleanup.push('delete the benchmark namespaces', async () => {
      for (const ns of [names.apis, names.events, names.gateway, names.floor])
        await deleteObject(client, types.namespace, undefined, ns);
    });
  }
  const resident = apiRefs(names.apis, 'api', options.apis);
  const incoming = apiRefs(names.events, 'ev', options.events);
  const residentKeys = new Set(resident.map(keyOf));

  say(`creating the workload: ${options.apis} ExposedAPIs with Services and ready EndpointSlices, run ${runId}`);
  const setup = await createWorkload(client, options, names, resident, incoming);
  say(`  workload created in ${setup.seconds.toFixed(1)} s (${setup.objects} objects)`);

  const tracker = new Tracker(client, options.driver, runId);
  cleanup.push('stop the watches', () => tracker.stop());
  await tracker.start();

  // 2. The floor first, on a fresh set of N APIs, while the resident N wait for the operator;
  // then that set is deleted, so the API server holds the same objects in both measurements.
  const floorMeasured = options.floor ? await measureFloor(client, clock, options, names) : undefined;

  // 1. Cold start.
  const [httpPort = 0] = await freeLoopbackPorts(1);
  const profileDir = options.profile ? join(outDir, `${stem}-profile`) : undefined;
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
  const heapDir = options.heapSnapshot ? join(outDir, `${stem}-heap`) : undefined;
  if (heapDir !== undefined) await mkdir(heapDir, { recursive: true });
  const loadAtColdStart = loadAverage();
  say(`cold start: starting the operator (load average ${formatLoad(loadAtColdStart)})`);
  const endCold = await clock.begin('cold start');
  const operator = new OperatorProcess({
    repoRoot,
    kubeconfig: cluster.kubeconfigPath,
    namespaces: names.operatorNamespaces,
    gatewaySelector: `oda-bench/gateway=${runId}`,
    driver: options.driver,
    httpPort,
    concurrency: options.concurrency,
    writeQps: options.writeQps,
    writeBurst: options.writeBurst,
    ...(options.driver === 'simple-ingress' ? { publicHostname: PUBLIC_HOSTNAME } : {}),
    ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }),
    ...(heapDir === undefined ? {} : { heapSnapshotDir: heapDir }),
    logFile: join(outDir, `${stem}.operator.log`),
    nodeOptions: options.operatorNodeOptions,
  });
  clock.setOperator(operator.pid);
  cleanup.push('stop the operator', () => operator.stop(5000));
  say(`  operator pid ${operator.pid}, metrics at http://127.0.0.1:${httpPort}/metrics`);
  const sampler = new FootprintSampler(operator);
  sampler.start();
  cleanup.push('stop sampling', () => Promise.resolve(sampler.stop()));

  let coldDone = false;
  const readiness = watchReadiness(operator, () => coldDone);
  let firstRouteAt: number | undefined;
  const firstKey = resident[0] === undefined ? '' : keyOf(resident[0]);
  void tracker.until(new Set([firstKey]), (v) => v.routeAt !== undefined).then((at) => (firstRouteAt = at));
  const coldEnd = await within(
    tracker.until(residentKeys, converged),
    operator,
    Math.max(300_000, options.apis * 100),
    'cold start',
    () => `${tracker.count(residentKeys, converged)} of ${options.apis} converged`,
  );
  coldDone = true;
  const coldPhase = await endCold();
  const coldSeconds = (coldEnd - operator.startedAt) / 1000;
  const coldSamples = await operator.metrics();
  const coldPeak = await operator.footprint();
  const coldPeakHeap = sampler.peakHeapBytes;
  const { upAt, syncedAt } = await readiness;
  const delta = coldPhase.apiServerRequests;
  const sinceStart = (at: number | undefined): { seconds?: number } =>
    at === undefined ? {} : { seconds: round2((at - operator.startedAt) / 1000) };
  const coldStart: BenchResult['coldStart'] = {
    seconds: round2(coldSeconds),
    ...(sinceStart(upAt).seconds === undefined ? {} : { processUpSeconds: sinceStart(upAt).seconds }),
    ...(sinceStart(syncedAt).seconds === undefined ? {} : { cachesSyncedSeconds: sinceStart(syncedAt).seconds }),
    ...(sinceStart(firstRouteAt).seconds === undefined ? {} : { firstRouteSeconds: sinceStart(firstRouteAt).seconds }),
    operatorCpuSeconds: coldPhase.cpuSeconds.operator ?? Number.NaN,
    cpuSeconds: coldPhase.cpuSeconds,
    apiServerRequests: delta,
    apiServerRequestsPerApi: perApi(delta, options.apis),
    operatorRequests: requestsByVerb(coldSamples),
    operatorLatencyMs: latencies([], coldSamples),
  };
  say(
    `  cold start ${coldSeconds.toFixed(2)} s (process up ${coldStart.processUpSeconds ?? '?'} s, caches synced ${coldStart.cachesSyncedSeconds ?? '?'} s, first route ${coldStart.firstRouteSeconds ?? '?'} s), peak RSS ${mib(coldPeak.peakRssBytes)} MiB`,
  );
  say(`  CPU seconds: ${formatCpu(coldPhase.cpuSeconds)}`);
  say(`  operator: ${formatLatency(coldStart.operatorLatencyMs)}`);
  say(`  API requests per API: ${requestsPerApiText(coldStart.apiServerRequestsPerApi)}`);

  let eventLatencyMs: BenchResult['eventLatencyMs'];
  await waitIdle(operator);

  // 3. Event latency: one API at a time into an idle operator holding N.
  if (incoming.length > 0) {
    say(`event latency: creating ${incoming.length} APIs one at a time`);
    const endEvents = await clock.begin('event latency');
    const route: number[] = [];
    const status: number[] = [];
    for (const ref of incoming) {
      await createObject(client, types.exposedApi, exposedApi(ref, runId));
      const t0 = performance.now();
      const key = keyOf(ref);
      const routeAt = await within(tracker.routeSeen(key), operator, 30_000, `the route of ${key}`);
      const statusAt = await within(tracker.until(new Set([key]), converged), operator, 30_000, `the status of ${key}`);
      route.push(Math.max(0, routeAt - t0));
      status.push(Math.max(0, statusAt - t0));
    }
    await endEvents();
    eventLatencyMs = { route: percentiles(route), status: percentiles(status) };
    const r = eventLatencyMs.route;
    say(
      `  route latency ms p50 ${r.p50} p90 ${r.p90} p99 ${r.p99} max ${r.max} (status p99 ${eventLatencyMs.status.p99})`,
    );
    await waitIdle(operator);
  }

  // 4. Update storm: the gateway's address changes; every URL must follow.
  const all = new Set([...residentKeys, ...incoming.map(keyOf)]);
  const beforeStorm = await operator.metrics();
  const writesBeforeStorm = writesOf(requestsByVerb(beforeStorm));
  say(`update storm: the gateway address changes under ${all.size} APIs`);
  const endStorm = await clock.begin('update storm');
  const stormStart = performance.now();
  const moved =
    options.driver === 'istio'
      ? (v: ApiView): boolean => v.ip === SECOND_ADDRESS && v.url?.includes(SECOND_ADDRESS) === true && v.ready
      : (v: ApiView): boolean => v.ip === SECOND_ADDRESS && v.url !== undefined && v.ready;
  const stormDone = tracker.until(all, moved);
  if (options.driver === 'istio') await setGatewayAddress(client, names, SECOND_ADDRESS);
  else {
    notes.push('simple-ingress update storm: the benchmark writes each Ingress status (the ingress controller part)');
    await setIngressAddresses(client, [...resident, ...incoming], SECOND_ADDRESS, options.setupParallelism);
  }
  const stormEnd = await within(
    stormDone,
    operator,
    Math.max(300_000, all.size * 100),
    'the update storm',
    () => `${tracker.count(all, moved)} of ${all.size} updated`,
  );
  const stormPhase = await endStorm();
  const afterStorm = await operator.metrics();
  await waitIdle(operator);
  const updateStorm: BenchResult['updateStorm'] = {
    seconds: round2((stormEnd - stormStart) / 1000),
    apis: all.size,
    operatorWrites: writesOf(requestsByVerb(await operator.metrics())) - writesBeforeStorm,
    cpuSeconds: stormPhase.cpuSeconds,
    operatorLatencyMs: latencies(beforeStorm, afterStorm),
  };
  say(`  all ${all.size} URLs updated in ${updateStorm.seconds} s (${updateStorm.operatorWrites} operator writes)`);
  say(`  CPU seconds: ${formatCpu(stormPhase.cpuSeconds)}`);
  say(`  operator: ${formatLatency(updateStorm.operatorLatencyMs)}`);

  // 5. Steady state: nothing changes; the operator must not write.
  say(`steady state: ${options.steadySeconds} s with nothing changing`);
  // No /metrics scrapes inside the window: they would be the operator's only CPU use.
  sampler.stop();
  const verbsBefore = requestsByVerb(await operator.metrics());
  const endSteady = await clock.begin('steady state');
  await within(sleep(options.steadySeconds * 1000), operator, options.steadySeconds * 1000 + 60_000, 'steady state');
  const steadyPhase = await endSteady();
  const steadySamples = await operator.metrics();
  const requests = diffVerbs(verbsBefore, requestsByVerb(steadySamples));
  const steadyCpu = steadyPhase.cpuSeconds.operator ?? Number.NaN;
  const steady: BenchResult['steady'] = {
    seconds: steadyPhase.seconds,
    writes: writesOf(requests),
    requests,
    cpuSeconds: round2(steadyCpu),
    cpuPercent: round2((100 * steadyCpu) / steadyPhase.seconds),
  };
  const fp = await operator.footprint();
  const steadyFootprint = { steadyRssMiB: mib(fp.rssBytes), steadyHeapMiB: mib(heapUsedBytes(steadySamples)) };
  say(
    `  ${steady.writes} writes, CPU ${steady.cpuSeconds} s (${steady.cpuPercent} %), RSS ${steadyFootprint.steadyRssMiB} MiB, heap ${steadyFootprint.steadyHeapMiB} MiB`,
  );

  const peakRss = (await operator.footprint().catch(() => coldPeak)).peakRssBytes;
  let heap: HeapSummary | undefined;
  if (heapDir !== undefined && operator.running) {
    operator.requestHeapSnapshot();
    heap = await summarizeHeapSnapshot(await awaitHeapSnapshot(heapDir));
    process.stderr.write(`${formatHeap(heap)}\n`);
  }
  const exit = await operator.stop();
  clock.setOperator(undefined);
  if (exit !== 0) notes.push(`the operator exited with code ${String(exit)} on SIGTERM`);

  let profile: Record<string, ProfileSummary> | undefined;
  if (profileDir !== undefined) {
    notes.push('profile run: the operator ran under node --cpu-prof, which slows it down');
    const file = await newestProfile(profileDir);
    if (file === undefined) throw new Error('the operator wrote no CPU profile');
    profile = {};
    for (const phase of clock.records) {
      const summary = await summarizeProfile(file, repoRoot, { fromUs: phase.fromUs, toUs: phase.toUs });
      profile[phase.name] = summary;
      process.stderr.write(`--- ${phase.name} ---\n${formatProfile(summary)}\n`);
    }
  }

  let floor: BenchResult['floor'];
  if (floorMeasured !== undefined) {
    const { result: floorResult, phase: floorPhase } = floorMeasured;
    const cpuTotal = (cpu: Readonly<Record<string, number>>): number =>
      Object.values(cpu).reduce((sum, v) => sum + v, 0);
    floor = {
      seconds: round2(floorResult.seconds),
      writes: floorResult.writes,
      ratio: round2(coldSeconds / floorResult.seconds),
      // Only meaningful when the control plane's processes are ours to measure.
      cpuRatio:
        floorPhase.cpuSeconds['kube-apiserver'] === undefined
          ? Number.NaN
          : round2(cpuTotal(coldPhase.cpuSeconds) / cpuTotal(floorPhase.cpuSeconds)),
      cpuSeconds: floorPhase.cpuSeconds,
      apiServerRequests: floorPhase.apiServerRequests,
    };
    say(`operator / floor = ${coldSeconds.toFixed(2)} s / ${floor.seconds} s = ${floor.ratio}`);
    if (!Number.isNaN(floor.cpuRatio))
      say(
        `  in CPU seconds of every process involved: ${cpuTotal(coldPhase.cpuSeconds).toFixed(1)} / ${cpuTotal(floorPhase.cpuSeconds).toFixed(1)} = ${floor.cpuRatio}`,
      );
  }

  const loadAtEnd: LoadAverage = loadAverage();
  return {
    date,
    commit,
    machine: machineInfo(cluster.version),
    load: { atStart: loadAtStart, atColdStart: loadAtColdStart, atEnd: loadAtEnd },
    settings: {
      apis: options.apis,
      driver: options.driver,
      concurrency: options.concurrency,
      writeQps: options.writeQps,
      writeBurst: options.writeBurst,
      events: options.events,
      steadySeconds: options.steadySeconds,
      cluster: cluster.description,
      profiled: options.profile,
      operatorNodeOptions: options.operatorNodeOptions.join(' '),
    },
    setup: { seconds: round2(setup.seconds), objects: setup.objects },
    coldStart,
    ...(floor === undefined ? {} : { floor }),
    ...(eventLatencyMs === undefined ? {} : { eventLatencyMs }),
    updateStorm,
    steady,
    footprint: {
      peakRssMiB: mib(coldPeak.peakRssBytes),
      peakHeapMiB: mib(coldPeakHeap),
      runPeakRssMiB: mib(peakRss),
      runPeakHeapMiB: mib(sampler.peakHeapBytes),
      ...steadyFootprint,
    },
    phases: clock.records.map(({ name, seconds, cpuSeconds, apiServerRequests }) => ({
      name,
      seconds,
      cpuSeconds,
      apiServerRequests,
    })),
    ...(profile === undefined ? {} : { profile }),
    ...(heap === undefined ? {} : { heap }),
    notes,
  };
}

export async function record(options: BenchOptions, repoRoot: string, result: BenchResult): Promise<void> {
  const file = await writeResult(join(repoRoot, options.outDir), result);
  say(`result: ${file}`);
  if (options.record && !options.profile && result.floor !== undefined) {
    await appendRow(join(repoRoot, 'BENCHMARKS.md'), result);
    say('row appended to BENCHMARKS.md');
  }
}
