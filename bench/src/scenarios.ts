// The measured scenarios. Each one sets the mock's pacing, then runs every target in interleaved rounds (the order
// rotates per round so no target always runs first or last) and records what both ends and the relay process saw.
import type { BenchSettings } from './bench-settings';
import type { BenchMockScript } from './child-protocol';
import type { BenchTarget, TargetId } from './bench-environment';
import { runClosedLoop, runConstantRate, type LoadResult } from './load-generator';
import type { ManagedChild } from './managed-child';
import { ForeignCpuMeter, readProcessSample, RssSampler } from './process-stats';
import { median } from './statistics';
import { mockScript, requestShape } from './workload';

export type ScenarioId =
  | 'warmup'
  | 'max-throughput'
  | 'latency-c1'
  | 'constant-rate'
  | 'stream-first-byte'
  | 'stream-cpu'
  | 'open-streams-baseline'
  | 'open-streams';

export interface RunRecord {
  scenario: ScenarioId;
  round: number;
  target: TargetId;
  result: LoadResult;
  /** Requests the mock upstream received during this run. */
  upstreamReceived: number;
  /** CPU the relay process used during this run (null for direct calls). */
  relayCpuMicros: number | null;
  /** RSS of the relay process sampled during the run (second half only, after ramp-up). */
  rssMedianBytes: number | null;
  rssMaxBytes: number | null;
  /** Share of all CPU time used by processes outside the benchmark during this run (noise indicator). */
  foreignCpuShare: number | null;
  /** Re-run because the machine was busy; kept for the request accounting, left out of every figure. */
  discarded: boolean;
}

/** Above this share of foreign CPU a run is repeated (at most MAX_NOISY_REPEATS times). */
const NOISY_RUN_SHARE = 0.1;
const MAX_NOISY_REPEATS = 2;

interface Scenario {
  id: ScenarioId;
  script: BenchMockScript;
  rounds: number;
  run(target: BenchTarget): Promise<LoadResult>;
}

export class ScenarioRunner {
  readonly records: RunRecord[] = [];

  constructor(
    private readonly mock: ManagedChild,
    private readonly targets: BenchTarget[],
    private readonly settings: BenchSettings,
    private readonly log: (line: string) => void,
    private readonly ownPids: () => number[],
  ) {}

  private async configureMock(script: BenchMockScript): Promise<void> {
    const configured = this.mock.waitFor('configured', 5000);
    this.mock.send({ command: 'configure', script });
    await configured;
  }

  private async upstreamCount(): Promise<number> {
    const counted = this.mock.waitFor('count', 5000);
    this.mock.send({ command: 'count' });
    return (await counted).received;
  }

  /** One measured run of one target. */
  async measure(scenario: ScenarioId, round: number, target: BenchTarget, run: () => Promise<LoadResult>): Promise<RunRecord> {
    const pid = target.process?.pid ?? null;
    const receivedBefore = await this.upstreamCount();
    const cpuBefore = pid === null ? null : readProcessSample(pid);
    const sampler = pid === null ? null : new RssSampler(pid);
    const foreignCpu = new ForeignCpuMeter(this.ownPids);
    sampler?.start();
    foreignCpu.start();
    const result = await run();
    const foreignCpuShare = foreignCpu.stop();
    const samples = sampler?.stop() ?? [];
    const cpuAfter = pid === null ? null : readProcessSample(pid);
    const receivedAfter = await this.upstreamCount();
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    const record: RunRecord = {
      scenario,
      round,
      target: target.id,
      result,
      upstreamReceived: receivedAfter - receivedBefore,
      relayCpuMicros: cpuBefore && cpuAfter ? cpuAfter.cpuMicros - cpuBefore.cpuMicros : null,
      rssMedianBytes: secondHalf.length > 0 ? median(secondHalf) : null,
      rssMaxBytes: samples.length > 0 ? Math.max(...samples) : null,
      foreignCpuShare,
      discarded: false,
    };
    this.records.push(record);
    const { latency } = result;
    this.log(
      `  ${scenario.padEnd(22)} r${round} ${target.id.padEnd(19)} ok ${String(result.completed).padStart(6)} fail ${result.failed}` +
        ` ${String(result.throughputPerSecond).padStart(6)}/s p50 ${(latency.p50Micros / 1000).toFixed(3)} ms p99 ${(latency.p99Micros / 1000).toFixed(3)} ms` +
        (result.firstByte ? ` ttfb p50 ${(result.firstByte.p50Micros / 1000).toFixed(3)} ms` : '') +
        (record.upstreamReceived !== result.sent ? ` UPSTREAM SAW ${record.upstreamReceived}/${result.sent}` : '') +
        (foreignCpuShare !== null && foreignCpuShare > 0.1 ? ` (other processes used ${Math.round(foreignCpuShare * 100)}% CPU)` : ''),
    );
    for (const sample of result.errorSamples.slice(0, 2)) this.log(`    error: ${sample}`);
    return record;
  }

  /** Measures, and repeats a run that other processes on the machine disturbed (the noisy record is discarded). */
  async measureQuietly(scenario: ScenarioId, round: number, target: BenchTarget, run: () => Promise<LoadResult>): Promise<RunRecord> {
    let record = await this.measure(scenario, round, target, run);
    for (let repeat = 1; repeat <= MAX_NOISY_REPEATS && (record.foreignCpuShare ?? 0) > NOISY_RUN_SHARE; repeat += 1) {
      this.log(`    other processes used ${Math.round((record.foreignCpuShare ?? 0) * 100)}% of the CPUs: repeating this run`);
      record.discarded = true;
      record = await this.measure(scenario, round, target, run);
    }
    return record;
  }

  private async runScenario(scenario: Scenario): Promise<void> {
    await this.configureMock(scenario.script);
    for (let round = 1; round <= scenario.rounds; round += 1) {
      const offset = (round - 1) % this.targets.length;
      const order = [...this.targets.slice(offset), ...this.targets.slice(0, offset)];
      for (const target of order) await this.measureQuietly(scenario.id, round, target, () => scenario.run(target));
    }
  }

  async warmUp(): Promise<void> {
    // JIT, connection pools and caches warm on every target before anything is measured.
    const { warmupMs } = this.settings;
    await this.configureMock(mockScript({}));
    for (const target of this.targets) {
      await this.measure('warmup', 0, target, () => runClosedLoop({ target: target.load, shape: requestShape(false), concurrency: 32, durationMs: warmupMs }));
      await this.measure('warmup', 0, target, () => runClosedLoop({ target: target.load, shape: requestShape(true), concurrency: 8, durationMs: warmupMs / 2 }));
    }
  }

  async runAll(): Promise<void> {
    const settings = this.settings;
    const json = requestShape(false);
    const stream = requestShape(true);
    const scenarios: Scenario[] = [
      {
        id: 'max-throughput',
        script: mockScript({}),
        rounds: settings.rounds,
        run: (target) => runClosedLoop({ target: target.load, shape: json, ...settings.maxThroughput }),
      },
      {
        id: 'latency-c1',
        script: mockScript({}),
        rounds: settings.rounds,
        run: (target) => runClosedLoop({ target: target.load, shape: json, concurrency: 1, durationMs: settings.latencyAtConcurrencyOne.durationMs }),
      },
      {
        id: 'constant-rate',
        script: mockScript({ delayMs: settings.constantRate.upstreamDelayMs }),
        rounds: settings.rounds,
        run: (target) =>
          runConstantRate({
            target: target.load,
            shape: json,
            ratePerSecond: settings.constantRate.ratePerSecond,
            durationMs: settings.constantRate.durationMs,
            connections: settings.constantRate.connections,
          }),
      },
      {
        id: 'stream-first-byte',
        script: mockScript({ chunkCount: settings.streamFirstByte.chunkCount }),
        rounds: settings.rounds,
        run: (target) => runClosedLoop({ target: target.load, shape: stream, concurrency: 1, durationMs: settings.streamFirstByte.durationMs }),
      },
      {
        id: 'stream-cpu',
        script: mockScript({ chunkCount: settings.streamCpu.chunkCount, chunkIntervalMs: settings.streamCpu.chunkIntervalMs }),
        rounds: settings.rounds,
        run: (target) =>
          runClosedLoop({ target: target.load, shape: stream, concurrency: settings.streamCpu.concurrency, durationMs: settings.streamCpu.durationMs }),
      },
    ];
    for (const scenario of scenarios) {
      this.log(`scenario ${scenario.id}`);
      await this.runScenario(scenario);
    }
    await this.runOpenStreams();
  }

  /** A few streams, then many long paced streams at once: memory per open stream, and stalls under load. */
  private async runOpenStreams(): Promise<void> {
    const { openStreams } = this.settings;
    this.log(`scenario open-streams (${openStreams.concurrency} concurrent)`);
    await this.configureMock(mockScript({ chunkCount: openStreams.chunkCount, chunkIntervalMs: openStreams.chunkIntervalMs }));
    const stream = requestShape(true);
    for (const target of this.targets) {
      const common = { target: target.load, shape: stream, stallThresholdMs: openStreams.stallThresholdMs };
      await this.measureQuietly('open-streams-baseline', 1, target, () =>
        runClosedLoop({ ...common, concurrency: openStreams.baselineConcurrency, durationMs: openStreams.baselineDurationMs }),
      );
      await this.measureQuietly('open-streams', 1, target, () => runClosedLoop({ ...common, concurrency: openStreams.concurrency, durationMs: openStreams.durationMs }));
    }
  }

  /** Profile mode: one long max-throughput load on the billing-on gateway (the profiler runs inside it). */
  async runProfileLoad(): Promise<number> {
    const gateway = this.targets.find((target) => target.id === 'gateway');
    if (!gateway) throw new Error('profile mode needs the gateway target');
    await this.configureMock(mockScript({}));
    const { concurrency, durationMs } = this.settings.profile;
    const record = await this.measure('max-throughput', 1, gateway, () => runClosedLoop({ target: gateway.load, shape: requestShape(false), concurrency, durationMs }));
    return record.result.completed;
  }

  /** Soak: constant rate against the billing-on gateway in slices, to show drift in latency and memory. */
  async runSoak(): Promise<void> {
    const { soak } = this.settings;
    const gateway = this.targets.find((target) => target.id === 'gateway');
    if (!gateway) throw new Error('soak needs the gateway target');
    await this.configureMock(mockScript({ delayMs: soak.upstreamDelayMs }));
    const slices = Math.max(1, Math.round((soak.minutes * 60_000) / soak.sliceMs));
    this.log(`soak: ${slices} slices of ${soak.sliceMs / 1000} s at ${soak.ratePerSecond}/s against the gateway`);
    for (let slice = 1; slice <= slices; slice += 1) {
      await this.measure('constant-rate', slice, gateway, () =>
        runConstantRate({ target: gateway.load, shape: requestShape(slice % 2 === 0), ratePerSecond: soak.ratePerSecond, durationMs: soak.sliceMs, connections: 512 }),
      );
    }
  }
}
