// What every benchmark request looks like and what the mock upstream answers: fixed usage, so each reply can be
// checked and the gateway's charge is known in advance.
import { computeCost } from '@nebulagate/schema';
import type { BenchMockScript } from './child-protocol';
import type { RequestShape } from './load-generator';

export const BENCH_MODEL = 'bench-model';
export const BENCH_USAGE = { promptTokens: 12, completionTokens: 20 };
/** Credits per 1M tokens (1 credit = 1e-6 USD): $1 input, $2 output. */
export const BENCH_PRICE = { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 };
export const BENCH_COST_PER_REQUEST = computeCost(
  { promptTokens: BENCH_USAGE.promptTokens, completionTokens: BENCH_USAGE.completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
  { ...BENCH_PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0 },
).total;

const DEFAULT_CHUNK_COUNT = 20;

/** The mock's behaviour for one scenario. */
export function mockScript(options: { delayMs?: number; chunkCount?: number; chunkIntervalMs?: number }): BenchMockScript {
  const chunkCount = options.chunkCount ?? DEFAULT_CHUNK_COUNT;
  return {
    // One word per chunk; usage is fixed by the script, not counted from the words.
    content: contentForChunks(chunkCount),
    usage: BENCH_USAGE,
    chunkCount,
    ...(options.delayMs ? { delayMs: options.delayMs } : {}),
    ...(options.chunkIntervalMs ? { chunkIntervalMs: options.chunkIntervalMs } : {}),
  };
}

/** The reply is split into `chunkCount` pieces; this content makes that many possible. */
export function contentForChunks(chunkCount: number): string {
  return Array.from({ length: Math.max(chunkCount, 1) }, (_, index) => `word${index + 1}`).join(' ');
}

export function requestShape(stream: boolean): RequestShape {
  const body: Record<string, unknown> = {
    model: BENCH_MODEL,
    messages: [{ role: 'user', content: 'Write one short sentence about benchmarks.' }],
    max_tokens: 64,
  };
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { stream, body: JSON.stringify(body), expectedUsage: BENCH_USAGE };
}
