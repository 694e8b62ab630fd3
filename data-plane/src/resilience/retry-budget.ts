// The global retry budget, shared by every data-plane node: within a sliding window (two 10 s buckets) retries may add
// at most `budgetRatio` x first attempts, plus a small floor so a quiet gateway can still retry. First attempts are
// counted in memory and written with the next retry check or once a second, so a request that needs no retry costs no
// Redis call; a retry costs one atomic script.
import { redisKeys } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import { LuaScript } from './lua-script';

export const RETRY_BUDGET_BUCKET_MS = 10_000;
/** Retries always allowed per window, whatever the traffic. */
export const RETRY_BUDGET_FLOOR = 10;
const FLUSH_INTERVAL_MS = 1_000;

// KEYS: the budget hash. ARGV: bucket, first attempts to add, ratio, floor, wantRetry (1/0), bucketMs.
// Fields f:<bucket> and r:<bucket>; the current and previous buckets count, older ones are deleted.
// Returns [allowed, firsts, retries] (allowed 1 when a retry was taken).
const BUDGET_SCRIPT = new LuaScript(`
local bucket = tonumber(ARGV[1])
local add = tonumber(ARGV[2])
local ratio = tonumber(ARGV[3])
local floor = tonumber(ARGV[4])
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  local b = tonumber(string.sub(field, 3))
  if b == nil or b < bucket - 1 then redis.call('HDEL', KEYS[1], field) end
end
if add > 0 then redis.call('HINCRBY', KEYS[1], 'f:' .. bucket, add) end
local firsts = tonumber(redis.call('HGET', KEYS[1], 'f:' .. bucket) or '0') + tonumber(redis.call('HGET', KEYS[1], 'f:' .. (bucket - 1)) or '0')
local retries = tonumber(redis.call('HGET', KEYS[1], 'r:' .. bucket) or '0') + tonumber(redis.call('HGET', KEYS[1], 'r:' .. (bucket - 1)) or '0')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]) * 3)
local allowed = 0
if ARGV[5] == '1' and retries + 1 <= ratio * firsts + floor then
  redis.call('HINCRBY', KEYS[1], 'r:' .. bucket, 1)
  allowed = 1
  retries = retries + 1
end
return {allowed, firsts, retries}
`);

export class RetryBudget {
  private unflushedFirsts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly redis: Redis) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  noteFirstAttempt(): void {
    this.unflushedFirsts += 1;
  }

  /** Takes one retry from the budget; false when the budget is spent. Redis unreachable: no retry (no storm). */
  async tryRetry(ratio: number): Promise<boolean> {
    const reply = await this.run(true, ratio);
    return reply?.[0] === 1;
  }

  private async flush(): Promise<void> {
    if (this.unflushedFirsts > 0) await this.run(false, 0);
  }

  private async run(wantRetry: boolean, ratio: number): Promise<number[] | null> {
    const firsts = this.unflushedFirsts;
    this.unflushedFirsts = 0;
    const bucket = Math.floor(Date.now() / RETRY_BUDGET_BUCKET_MS);
    try {
      const reply = await BUDGET_SCRIPT.run(this.redis, [redisKeys.retryBudget], [bucket, firsts, ratio, RETRY_BUDGET_FLOOR, wantRetry ? 1 : 0, RETRY_BUDGET_BUCKET_MS]);
      return Array.isArray(reply) ? reply.map(Number) : null;
    } catch (error) {
      this.unflushedFirsts += firsts;
      logger.debug('retry budget unavailable', { error: describeError(error) });
      return null;
    }
  }
}
