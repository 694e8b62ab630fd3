// The load generator: undici clients and microsecond HDR histograms, closed-loop (N workers back to back) or
// constant-rate (open loop). Open-loop latency runs from the *scheduled* send time, so a stalled relay cannot hide
// behind a sender that waits for it (coordinated omission).
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';

export interface LoadTarget {
  /** Full endpoint URL, e.g. http://127.0.0.1:3000/v1/chat/completions. */
  url: string;
  headers: Record<string, string>;
}

export interface RequestShape {
  stream: boolean;
  /** JSON request body, serialised once. */
  body: string;
  /** Usage the mock upstream reports; every reply must carry exactly this. */
  expectedUsage: { promptTokens: number; completionTokens: number };
}

export interface HistogramSummary {
  count: number;
  meanMicros: number;
  p50Micros: number;
  p90Micros: number;
  p99Micros: number;
  p999Micros: number;
  maxMicros: number;
}

export interface StreamSummary {
  /** Streams that ended with `data: [DONE]` and carried the expected usage chunk. */
  complete: number;
  incomplete: number;
  missingUsage: number;
  /** SSE events received over all complete streams (data frames including [DONE]). */
  events: number;
  /** Longest pause between two body chunks of one stream. */
  maxGapMicros: number;
  /** Streams whose first byte or some inter-chunk gap exceeded the stall threshold. */
  stalled: number;
}

export interface LoadResult {
  mode: 'closed-loop' | 'constant-rate';
  concurrency: number | null;
  targetRatePerSecond: number | null;
  sent: number;
  /** 2xx with a complete, correct body. */
  completed: number;
  failed: number;
  statusCounts: Record<string, number>;
  errorSamples: string[];
  elapsedMs: number;
  throughputPerSecond: number;
  latency: HistogramSummary;
  /** Time to the first body byte (streams only). */
  firstByte: HistogramSummary | null;
  streams: StreamSummary | null;
  /** Open loop: how late the sender fired requests (its own lag, not the target's): worst and 99th percentile. */
  maxSendLagMicros: number | null;
  p99SendLagMicros: number | null;
}

export interface CommonLoadOptions {
  target: LoadTarget;
  shape: RequestShape;
  durationMs: number;
  /** Per-request bound for headers and for gaps in the body. */
  requestTimeoutMs?: number;
  /** A first byte or chunk gap above this counts the stream as stalled. */
  stallThresholdMs?: number;
  /** Called for every finished request (the soak mode slices results with it). */
  onSample?: (latencyMicros: number, ok: boolean) => void;
}

export interface ClosedLoopOptions extends CommonLoadOptions {
  concurrency: number;
  /** Hard cap on requests, besides the duration (keeps tiny test runs tiny). */
  maxRequests?: number;
}

export interface ConstantRateOptions extends CommonLoadOptions {
  ratePerSecond: number;
  /** Upper bound of open connections; requests beyond it queue in the pool (and that wait is measured). */
  connections: number;
}

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
}

export function summarizeHistogram(histogram: hdr.Histogram): HistogramSummary {
  return {
    count: histogram.totalCount,
    meanMicros: Math.round(histogram.mean),
    p50Micros: histogram.getValueAtPercentile(50),
    p90Micros: histogram.getValueAtPercentile(90),
    p99Micros: histogram.getValueAtPercentile(99),
    p999Micros: histogram.getValueAtPercentile(99.9),
    maxMicros: histogram.maxValue,
  };
}

const toMicros = (milliseconds: number) => Math.max(1, Math.round(milliseconds * 1000));

/** One run's bookkeeping: issues single requests and checks each reply. */
class RunRecorder {
  readonly latency = newHistogram();
  readonly firstByte = newHistogram();
  sent = 0;
  completed = 0;
  failed = 0;
  readonly statusCounts: Record<string, number> = {};
  readonly errorSamples: string[] = [];
  readonly streams: StreamSummary = { complete: 0, incomplete: 0, missingUsage: 0, events: 0, maxGapMicros: 0, stalled: 0 };
  private readonly path: string;
  private readonly headers: Record<string, string>;
  private readonly usageFragment: string;
  private readonly stallThresholdMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: CommonLoadOptions,
  ) {
    const url = new URL(options.target.url);
    this.path = url.pathname + url.search;
    this.headers = { 'content-type': 'application/json', ...options.target.headers };
    // Non-stream replies are checked with a substring test: cheap enough to keep the load generator out of the way.
    this.usageFragment = `"completion_tokens":${options.shape.expectedUsage.completionTokens}`;
    this.stallThresholdMs = options.stallThresholdMs ?? 1000;
  }

  private fail(reason: string): void {
    this.failed += 1;
    if (this.errorSamples.length < 5) this.errorSamples.push(reason.slice(0, 300));
  }

  async issue(scheduledAt: number): Promise<void> {
    this.sent += 1;
    let ok = false;
    try {
      const response = await this.pool.request({ path: this.path, method: 'POST', headers: this.headers, body: this.options.shape.body });
      const status = String(response.statusCode);
      this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
      if (this.options.shape.stream) {
        ok = await this.readStream(response.statusCode, response.body, scheduledAt);
      } else {
        const text = await response.body.text();
        const finishedAt = performance.now();
        if (response.statusCode !== 200) this.fail(`status ${response.statusCode}: ${text}`);
        else if (!text.includes(this.usageFragment)) this.fail(`reply without the expected usage: ${text}`);
        else {
          ok = true;
          this.completed += 1;
          this.latency.recordValue(toMicros(finishedAt - scheduledAt));
        }
        this.options.onSample?.(toMicros(finishedAt - scheduledAt), ok);
      }
    } catch (error) {
      this.fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      this.options.onSample?.(toMicros(performance.now() - scheduledAt), false);
    }
  }

  private async readStream(statusCode: number, body: AsyncIterable<Buffer>, scheduledAt: number): Promise<boolean> {
    const parts: Buffer[] = [];
    let firstAt = 0;
    let lastAt = 0;
    let maxGap = 0;
    for await (const part of body) {
      const now = performance.now();
      if (firstAt === 0) firstAt = now;
      else maxGap = Math.max(maxGap, now - lastAt);
      lastAt = now;
      parts.push(part);
    }
    const finishedAt = performance.now();
    const text = Buffer.concat(parts).toString('utf8');
    this.options.onSample?.(toMicros(finishedAt - scheduledAt), statusCode === 200);
    if (statusCode !== 200) {
      this.fail(`status ${statusCode}: ${text}`);
      return false;
    }
    const events = text.split('\n\n').filter((event) => event.length > 0 && !event.startsWith(':'));
    const last = events[events.length - 1]?.replace(/^data:\s?/, '');
    if (last !== '[DONE]') {
      this.streams.incomplete += 1;
      this.fail(`stream did not end with [DONE]: …${text.slice(-200)}`);
      return false;
    }
    if (!this.hasExpectedUsage(events)) {
      this.streams.missingUsage += 1;
      this.fail(`stream without the expected usage chunk: …${text.slice(-400)}`);
      return false;
    }
    this.streams.complete += 1;
    this.streams.events += events.length;
    this.streams.maxGapMicros = Math.max(this.streams.maxGapMicros, toMicros(maxGap));
    const firstByteMs = firstAt - scheduledAt;
    if (firstByteMs > this.stallThresholdMs || maxGap > this.stallThresholdMs) this.streams.stalled += 1;
    this.completed += 1;
    this.firstByte.recordValue(toMicros(firstByteMs));
    this.latency.recordValue(toMicros(finishedAt - scheduledAt));
    return true;
  }

  private hasExpectedUsage(events: string[]): boolean {
    // The usage chunk is the last data frame before [DONE]; look at the last few only.
    for (let index = events.length - 2; index >= 0 && index >= events.length - 4; index -= 1) {
      const event = events[index] ?? '';
      if (!event.includes('"usage"')) continue;
      try {
        const parsed: unknown = JSON.parse(event.replace(/^data:\s?/, ''));
        const usage = typeof parsed === 'object' && parsed !== null && 'usage' in parsed ? parsed.usage : null;
        if (typeof usage !== 'object' || usage === null) return false;
        const record = usage as Record<string, unknown>;
        return (
          record.prompt_tokens === this.options.shape.expectedUsage.promptTokens &&
          record.completion_tokens === this.options.shape.expectedUsage.completionTokens
        );
      } catch {
        return false;
      }
    }
    return false;
  }

  result(
    mode: LoadResult['mode'],
    elapsedMs: number,
    extra: Pick<LoadResult, 'concurrency' | 'targetRatePerSecond' | 'maxSendLagMicros' | 'p99SendLagMicros'>,
  ): LoadResult {
    return {
      mode,
      ...extra,
      sent: this.sent,
      completed: this.completed,
      failed: this.failed,
      statusCounts: this.statusCounts,
      errorSamples: this.errorSamples,
      elapsedMs: Math.round(elapsedMs),
      throughputPerSecond: Math.round((this.completed / elapsedMs) * 1000),
      latency: summarizeHistogram(this.latency),
      firstByte: this.options.shape.stream ? summarizeHistogram(this.firstByte) : null,
      streams: this.options.shape.stream ? this.streams : null,
    };
  }
}

function createPool(options: CommonLoadOptions, connections: number): Pool {
  const timeout = options.requestTimeoutMs ?? 15_000;
  return new Pool(new URL(options.target.url).origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connectTimeout: timeout,
  });
}

/** N workers, each sending its next request as soon as the previous one finished. */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const pool = createPool(options, options.concurrency);
  const recorder = new RunRecorder(pool, options);
  const maxRequests = options.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const startedAt = performance.now();
  const deadline = startedAt + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && recorder.sent < maxRequests) await recorder.issue(performance.now());
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - startedAt;
  await pool.close();
  return recorder.result('closed-loop', elapsedMs, { concurrency: options.concurrency, targetRatePerSecond: null, maxSendLagMicros: null, p99SendLagMicros: null });
}

/** Requests fired on a fixed schedule whatever the target does; latency counts from the scheduled instant. */
export async function runConstantRate(options: ConstantRateOptions): Promise<LoadResult> {
  const pool = createPool(options, options.connections);
  const recorder = new RunRecorder(pool, options);
  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.max(1, Math.floor((options.ratePerSecond * options.durationMs) / 1000));
  let scheduled = 0;
  let inFlight = 0;
  const sendLag = newHistogram();
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    const finishOne = () => {
      inFlight -= 1;
      if (scheduled >= total && inFlight === 0) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (scheduled < total && startedAt + scheduled * intervalMs <= now) {
        const at = startedAt + scheduled * intervalMs;
        sendLag.recordValue(toMicros(now - at));
        scheduled += 1;
        inFlight += 1;
        void recorder.issue(at).then(finishOne);
      }
      if (scheduled < total) setTimeout(tick, Math.max(0, startedAt + scheduled * intervalMs - performance.now()));
      else if (inFlight === 0) resolve();
    };
    tick();
  });
  const elapsedMs = performance.now() - startedAt;
  await pool.close();
  return recorder.result('constant-rate', elapsedMs, {
    concurrency: null,
    targetRatePerSecond: options.ratePerSecond,
    maxSendLagMicros: sendLag.maxValue,
    p99SendLagMicros: sendLag.getValueAtPercentile(99),
  });
}
