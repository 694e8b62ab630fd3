// Run modes and their sizes. Every loop in the harness is bounded by these counts and durations.
export type BenchMode = 'default' | 'quick' | 'soak' | 'profile' | 'profile-stream';

export interface BenchSettings {
  mode: BenchMode;
  /** Interleaved rounds per scenario; medians are reported. */
  rounds: number;
  warmupMs: number;
  maxThroughput: { concurrency: number; durationMs: number };
  latencyAtConcurrencyOne: { durationMs: number };
  constantRate: { ratePerSecond: number; upstreamDelayMs: number; durationMs: number; connections: number };
  streamFirstByte: { durationMs: number; chunkCount: number };
  streamCpu: { concurrency: number; durationMs: number; chunkCount: number; chunkIntervalMs: number };
  openStreams: {
    baselineConcurrency: number;
    baselineDurationMs: number;
    concurrency: number;
    durationMs: number;
    chunkCount: number;
    chunkIntervalMs: number;
    stallThresholdMs: number;
  };
  soak: { minutes: number; sliceMs: number; ratePerSecond: number; upstreamDelayMs: number };
  /**
   * `--profile`: the billing-on data plane runs under `node --cpu-prof` through one max-throughput load;
   * `--profile-stream`: through one stream-cpu load (its streams, this duration).
   */
  profile: { concurrency: number; durationMs: number };
}

const DEFAULT_SETTINGS: BenchSettings = {
  mode: 'default',
  rounds: 3,
  warmupMs: 2000,
  maxThroughput: { concurrency: 64, durationMs: 3000 },
  latencyAtConcurrencyOne: { durationMs: 3000 },
  constantRate: { ratePerSecond: 1000, upstreamDelayMs: 20, durationMs: 3000, connections: 256 },
  streamFirstByte: { durationMs: 2500, chunkCount: 20 },
  streamCpu: { concurrency: 32, durationMs: 3000, chunkCount: 20, chunkIntervalMs: 5 },
  openStreams: {
    baselineConcurrency: 16,
    baselineDurationMs: 3000,
    concurrency: 512,
    durationMs: 6000,
    // Slow pacing keeps the request rate low, so the RSS delta is open streams rather than allocation churn.
    chunkCount: 20,
    chunkIntervalMs: 250,
    stallThresholdMs: 1000,
  },
  soak: { minutes: 10, sliceMs: 60_000, ratePerSecond: 500, upstreamDelayMs: 20 },
  profile: { concurrency: 64, durationMs: 10_000 },
};

export interface BenchArguments {
  mode: BenchMode;
  soakMinutes: number | null;
  outputDirectory: string | null;
}

export function parseBenchArguments(argv: string[]): BenchArguments {
  const parsed: BenchArguments = { mode: 'default', soakMinutes: null, outputDirectory: null };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--quick') parsed.mode = 'quick';
    else if (argument === '--soak') parsed.mode = 'soak';
    else if (argument === '--profile') parsed.mode = 'profile';
    else if (argument === '--profile-stream') parsed.mode = 'profile-stream';
    else if (argument === '--soak-minutes') parsed.soakMinutes = Number(argv[(index += 1)]);
    else if (argument === '--out') parsed.outputDirectory = argv[(index += 1)] ?? null;
    else if (argument === '--no-build') continue; // consumed by scripts/bench.cjs
    else throw new Error(`unknown argument ${argument} (known: --quick, --soak, --soak-minutes N, --profile, --profile-stream, --out DIR, --no-build)`);
  }
  if (parsed.soakMinutes !== null && !(parsed.soakMinutes > 0 && parsed.soakMinutes <= 120)) {
    throw new Error('--soak-minutes must be between 0 and 120');
  }
  return parsed;
}

export function settingsFor(benchArguments: BenchArguments): BenchSettings {
  if (benchArguments.mode === 'quick') {
    return {
      ...DEFAULT_SETTINGS,
      mode: 'quick',
      rounds: 1,
      warmupMs: 1000,
      maxThroughput: { concurrency: 64, durationMs: 1500 },
      latencyAtConcurrencyOne: { durationMs: 1500 },
      constantRate: { ...DEFAULT_SETTINGS.constantRate, durationMs: 1500 },
      streamFirstByte: { durationMs: 1000, chunkCount: 20 },
      streamCpu: { ...DEFAULT_SETTINGS.streamCpu, durationMs: 1500 },
      openStreams: { ...DEFAULT_SETTINGS.openStreams, baselineDurationMs: 1500, durationMs: 3000, chunkCount: 10 },
    };
  }
  if (benchArguments.mode === 'soak') {
    return { ...DEFAULT_SETTINGS, mode: 'soak', soak: { ...DEFAULT_SETTINGS.soak, minutes: benchArguments.soakMinutes ?? DEFAULT_SETTINGS.soak.minutes } };
  }
  if (benchArguments.mode === 'profile' || benchArguments.mode === 'profile-stream') return { ...DEFAULT_SETTINGS, mode: benchArguments.mode };
  return DEFAULT_SETTINGS;
}
