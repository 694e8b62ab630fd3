// `npm run bench` entry (via scripts/bench.cjs): starts the environment, warms up, runs every scenario in interleaved
// rounds, checks validity, and writes bench/results/<date>.{json,md,svg,png}. `--quick` is a ~1 minute smoke run,
// `--soak` a long constant-rate run against the gateway.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { redisKeys } from '@nebulagate/schema';
import { parseBenchArguments, settingsFor, type BenchSettings } from './bench-settings';
import { startBenchEnvironment, type BenchEnvironment, type BenchTarget } from './bench-environment';
import { renderChartSvg, writeChart } from './chart';
import { renderProfileMarkdown, summarizeCpuProfile } from './cpu-profile-summary';
import { runStreamProfileLoad } from './profile-stream';
import { detectPinning } from './managed-child';
import { ForeignCpuMeter, readProcessSample } from './process-stats';
import { budgetLines, printableLines, renderMarkdown, summarizeTarget, validityLines, type GatewayAccounting } from './report';
import { ScenarioRunner, type RunRecord } from './scenarios';
import { round } from './statistics';
import { BENCH_COST_PER_REQUEST } from './workload';

const log = (line: string) => process.stdout.write(`${line}\n`);
/** Other processes may use at most this share of all CPUs while we measure. */
const QUIET_MACHINE_SHARE = 0.1;

function timestamp(): string {
  return new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

async function gatewayAccounting(target: BenchTarget, records: RunRecord[]): Promise<GatewayAccounting | null> {
  const account = target.account;
  if (!account) return null;
  // No worker runs in the bench: every event the gateway recorded is still in the usage stream.
  const queued = await account.redis.xlen(redisKeys.usageStream);
  const spooled = existsSync(account.usageSpoolPath)
    ? readFileSync(account.usageSpoolPath, 'utf8').split('\n').filter((line) => line.trim() !== '').length
    : 0;
  const wallet = Number((await account.redis.get(redisKeys.wallet(account.userId))) ?? 0);
  const openReservations = await account.redis.zcard(redisKeys.reservationsByExpiry);
  const requestsCompleted = records.filter((record) => record.target === target.id).reduce((sum, record) => sum + record.result.completed, 0);
  return {
    target: target.id,
    requestsCompleted,
    usageEventsQueued: queued,
    usageEventsSpooled: spooled,
    walletSpent: account.walletCreditsAtStart - wallet,
    expectedSpend: requestsCompleted * BENCH_COST_PER_REQUEST,
    openReservations,
  };
}

interface EnvironmentInfo extends Record<string, string> {
  date: string;
}

function describeEnvironment(settings: BenchSettings, pinning: ReturnType<typeof detectPinning>): EnvironmentInfo {
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}`,
    memory: `${Math.round(totalmem() / 1073741824)} GB`,
    pinning: pinning.available
      ? 'relay under test on CPU 0 (taskset -c 0); mock, Redis and load generator on CPU 1'
      : `none (${pinning.reason}): all processes share every CPU`,
    mode: settings.mode,
    network: '127.0.0.1 only',
  };
}

async function main(): Promise<void> {
  const benchArguments = parseBenchArguments(process.argv.slice(2));
  const settings = settingsFor(benchArguments);
  const pinning = detectPinning(cpus().length) /* not availableParallelism(): scripts/bench.cjs already pinned us to one CPU */;
  const outputDirectory = resolve(benchArguments.outputDirectory ?? join(__dirname, '..', 'results'));
  mkdirSync(outputDirectory, { recursive: true });
  const environmentInfo = describeEnvironment(settings, pinning);
  log(`NebulaGate bench (${settings.mode}); ${environmentInfo.pinning}`);

  // Every loop below is bounded; this is the last line of defence against a hang.
  const hardLimitMs = settings.mode === 'soak' ? (settings.soak.minutes + 5) * 60_000 : settings.mode === 'quick' ? 5 * 60_000 : 15 * 60_000;
  let environment: BenchEnvironment | null = null;
  const watchdog = setTimeout(() => {
    log(`bench exceeded its hard limit of ${hardLimitMs / 60_000} minutes; stopping`);
    void (environment?.close() ?? Promise.resolve()).finally(() => process.exit(2));
  }, hardLimitMs);
  watchdog.unref();
  const interrupt = () => void (environment?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    const profiling = settings.mode === 'profile' || settings.mode === 'profile-stream';
    const profileDirectory = profiling ? mkdtempSync(join(tmpdir(), 'ng-bench-profile-')) : undefined;
    environment = await startBenchEnvironment({ pinning, log, profileDirectory });
    const runner = new ScenarioRunner(environment.mock, environment.targets, settings, log, environment.ownPids);
    await waitForQuietMachine(environment.ownPids, settings.mode === 'quick' ? 15_000 : 60_000);
    log('warm-up');
    await runner.warmUp();
    if (profileDirectory && settings.mode === 'profile-stream') {
      const events = await runStreamProfileLoad(environment, runner, settings);
      await writeProfileReport(environment, runner.records, profileDirectory, outputDirectory, { count: events, unit: 'SSE event' });
      environment = null;
      return;
    }
    if (profileDirectory) {
      await runner.runProfileLoad();
      await writeProfileReport(environment, runner.records, profileDirectory, outputDirectory);
      environment = null;
      return;
    }
    if (settings.mode === 'soak') await runner.runSoak();
    else await runner.runAll();

    // Settles and usage events finish just after the last reply; give them a moment before counting money.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const accounting: GatewayAccounting[] = [];
    for (const target of environment.targets) {
      const result = await gatewayAccounting(target, runner.records);
      if (result) accounting.push(result);
    }
    const summaries = environment.targets.map((target) =>
      summarizeTarget(runner.records, target.id, {
        idleBytes: target.idleRssBytes,
        peakBytes: target.process ? (readProcessSample(target.process.pid)?.peakRssBytes ?? null) : null,
      }),
    );
    const stamp = `${timestamp()}${settings.mode === 'default' ? '' : `-${settings.mode}`}`;
    const budget = settings.mode === 'soak' ? [] : budgetLines(summaries, { gateway: environment.gatewayMissing, billingOff: environment.billingOffMissing }, settings);
    const validity = validityLines(runner.records, summaries, accounting);
    const rateLabel = `${settings.constantRate.ratePerSecond} RPS, ${settings.constantRate.upstreamDelayMs} ms upstream`;
    const title = `NebulaGate benchmark ${environmentInfo.date.slice(0, 10)} (${settings.mode})`;

    let markdown = renderMarkdown({ title, environment: environmentInfo, summaries, budget, validity, settings });
    if (settings.mode === 'soak') markdown += renderSoakTable(runner.records);
    const jsonPath = join(outputDirectory, `${stamp}.json`);
    const markdownPath = join(outputDirectory, `${stamp}.md`);
    const chart = writeChart(renderChartSvg(summaries, title, rateLabel), join(outputDirectory, `${stamp}.svg`), join(outputDirectory, `${stamp}.png`));
    writeFileSync(
      jsonPath,
      JSON.stringify({ environment: environmentInfo, settings, summaries, budget, validity, accounting, gatewayMissing: environment.gatewayMissing, billingOffMissing: environment.billingOffMissing, runs: runner.records }, null, 2),
    );
    writeFileSync(markdownPath, markdown);

    log('');
    log(markdown.split('\n## Budget')[0] ?? '');
    for (const line of printableLines('Budget:', budget)) log(line);
    for (const line of printableLines('Validity:', validity)) log(line);
    log(`\nwrote ${jsonPath}\nwrote ${markdownPath}`);
    log(chart.pngPath ? `wrote ${chart.pngPath}` : `chart: ${chart.problem}`);
    const invalid = validity.some((line) => line.status === 'FAIL');
    if (invalid) log('\nSOME VALIDITY CHECKS FAILED: treat the figures above with suspicion.');
    process.exitCode = invalid ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await environment?.close();
  }
}

/** Stops the environment (the profiled data plane writes its .cpuprofile on exit) and summarises the profile. */
async function writeProfileReport(
  environment: BenchEnvironment,
  records: RunRecord[],
  profileDirectory: string,
  outputDirectory: string,
  /** The stream profile counts SSE events instead of requests. */
  streamEvents?: { count: number; unit: string },
): Promise<void> {
  await environment.close();
  const profileFile = readdirSync(profileDirectory).find((name) => name.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error(`the data plane wrote no .cpuprofile into ${profileDirectory}`);
  const stamp = `${timestamp()}-${streamEvents ? 'profile-stream' : 'profile'}`;
  const kept = join(outputDirectory, `${stamp}.cpuprofile`);
  copyFileSync(join(profileDirectory, profileFile), kept);
  rmSync(profileDirectory, { recursive: true, force: true });
  // Warm-up requests ran in the same process, so they count towards the per-request figures.
  const requests = records.filter((record) => record.target === 'gateway').reduce((sum, record) => sum + record.result.completed, 0);
  const markdown = streamEvents
    ? renderProfileMarkdown(summarizeCpuProfile(kept), streamEvents.count, 'Data plane CPU profile (billing on, OpenAI chat streams, stream-cpu load)', streamEvents.unit)
    : renderProfileMarkdown(summarizeCpuProfile(kept), requests, 'Data plane CPU profile (billing on, JSON chat completions, max throughput)');
  const markdownPath = join(outputDirectory, `${stamp}.md`);
  writeFileSync(markdownPath, markdown);
  log(markdown);
  log(`wrote ${kept}\nwrote ${markdownPath}`);
}

/** Waits (bounded) until other processes leave the CPUs mostly idle, so they do not pollute the figures. */
async function waitForQuietMachine(ownPids: () => number[], maxWaitMs: number): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const meter = new ForeignCpuMeter(ownPids);
    meter.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const share = meter.stop() ?? 0;
    if (share <= QUIET_MACHINE_SHARE) return;
    if (Date.now() > deadline) {
      log(`other processes still use ${Math.round(share * 100)}% of the CPUs; measuring anyway (see the validity lines)`);
      return;
    }
    log(`waiting for a quiet machine: other processes use ${Math.round(share * 100)}% of the CPUs`);
  }
}

function renderSoakTable(records: RunRecord[]): string {
  const slices = records.filter((record) => record.scenario === 'constant-rate' && record.target === 'gateway');
  const lines = [
    '',
    '## Soak slices (gateway, constant rate; even slices stream)',
    '',
    '| slice | ok | failed | p50 (ms) | p99 (ms) | max (ms) | RSS median (MB) | relay CPU per request (µs) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...slices.map(
      (record) =>
        `| ${record.round} | ${record.result.completed} | ${record.result.failed} | ${round(record.result.latency.p50Micros / 1000, 3)} | ${round(record.result.latency.p99Micros / 1000, 3)} | ${round(record.result.latency.maxMicros / 1000, 3)} | ${record.rssMedianBytes === null ? '–' : round(record.rssMedianBytes / 1048576, 1)} | ${record.relayCpuMicros === null ? '–' : Math.round(record.relayCpuMicros / Math.max(1, record.result.completed))} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
