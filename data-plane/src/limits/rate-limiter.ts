// RPM, TPM and concurrency caps shared by every data-plane node: one atomic Lua script admits a request against all of
// its scopes at once (all or nothing), one more releases its concurrency slots and corrects its token count.
//
// Windows: a fixed one-minute window per scope that starts with its first request (INCR + PEXPIRE); Retry-After is the
// window's remaining time. Concurrency: a sorted set of request ids scored by a lease expiry, so a node that crashes
// mid-request frees its slots when the lease runs out.
// TPM: a request is admitted while the window's counted tokens are below the cap; admission counts the prompt estimate
// and the release replaces it with the actual prompt + completion tokens when the relay reports them (the reservation's
// worst case would over-count every request by its max_tokens).
// Redis unreachable: the same caps are counted by this node alone (local-limiter.ts), so an outage multiplies a cap by
// the number of nodes at worst instead of lifting it; refusing would make a Redis outage take down the whole gateway.
import { redisKeys } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import { LuaScript, numberArray } from '../resilience/lua-script';
import type { LimitScope } from './limit-scopes';
import { LocalLimiter } from './local-limiter';

const WINDOW_MS = 60_000;
/** Longest a concurrency slot is held without a release (a crashed node, a lost release). */
export const CONCURRENCY_LEASE_MS = 15 * 60_000;
const KINDS = ['rpm', 'tpm', 'concurrency'] as const;
export type LimitKind = (typeof KINDS)[number];

// KEYS: per scope rpm, tpm, concurrency. ARGV: now, member, tokens, windowMs, leaseMs, then per scope the three caps
// (0 = none). Returns {1} when admitted, else {0, scope index, kind index, retry-after ms}.
const ADMIT_SCRIPT = new LuaScript(`
local now = tonumber(ARGV[1])
local member = ARGV[2]
local tokens = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
local leaseMs = tonumber(ARGV[5])
local scopes = #KEYS / 3
for i = 0, scopes - 1 do
  local rpm = tonumber(ARGV[6 + i * 3])
  local tpm = tonumber(ARGV[7 + i * 3])
  local concurrency = tonumber(ARGV[8 + i * 3])
  if rpm > 0 and tonumber(redis.call('GET', KEYS[1 + i * 3]) or '0') >= rpm then
    return {0, i, 0, redis.call('PTTL', KEYS[1 + i * 3])}
  end
  if tpm > 0 and tonumber(redis.call('GET', KEYS[2 + i * 3]) or '0') >= tpm then
    return {0, i, 1, redis.call('PTTL', KEYS[2 + i * 3])}
  end
  if concurrency > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[3 + i * 3], '-inf', now)
    if redis.call('ZCARD', KEYS[3 + i * 3]) >= concurrency then return {0, i, 2, 1000} end
  end
end
for i = 0, scopes - 1 do
  if tonumber(ARGV[6 + i * 3]) > 0 then
    redis.call('INCR', KEYS[1 + i * 3])
    if redis.call('PTTL', KEYS[1 + i * 3]) < 0 then redis.call('PEXPIRE', KEYS[1 + i * 3], windowMs) end
  end
  if tonumber(ARGV[7 + i * 3]) > 0 then
    redis.call('INCRBY', KEYS[2 + i * 3], tokens)
    if redis.call('PTTL', KEYS[2 + i * 3]) < 0 then redis.call('PEXPIRE', KEYS[2 + i * 3], windowMs) end
  end
  if tonumber(ARGV[8 + i * 3]) > 0 then
    redis.call('ZADD', KEYS[3 + i * 3], now + leaseMs, member)
    redis.call('PEXPIRE', KEYS[3 + i * 3], leaseMs)
  end
end
return {1}
`);

// KEYS: per scope tpm, concurrency. ARGV: member, token correction, then per scope has-tpm, has-concurrency (1/0).
// The correction only lands in a window that still exists (a new window must not start with an old request's tokens).
const RELEASE_SCRIPT = new LuaScript(`
local member = ARGV[1]
local delta = tonumber(ARGV[2])
for i = 0, #KEYS / 2 - 1 do
  if ARGV[3 + i * 2] == '1' and delta ~= 0 and redis.call('EXISTS', KEYS[1 + i * 2]) == 1 then
    local value = redis.call('INCRBY', KEYS[1 + i * 2], delta)
    if value < 0 then redis.call('INCRBY', KEYS[1 + i * 2], -value) end
  end
  if ARGV[4 + i * 2] == '1' then redis.call('ZREM', KEYS[2 + i * 2], member) end
end
return 1
`);

export interface LimitRefusal {
  scope: string;
  kind: LimitKind;
  retryAfterSeconds: number;
}

/** An admitted request's hold on its scopes; release exactly once (later calls do nothing). */
export interface LimitTicket {
  release(actualTokens: number | null): Promise<void>;
}

const NOTHING_TO_RELEASE: LimitTicket = { release: () => Promise.resolve() };

export type Admission = { admitted: true; ticket: LimitTicket } | { admitted: false; refusal: LimitRefusal };

function cap(value: number | null): number {
  return value ?? 0;
}

export class RateLimiter {
  private readonly local: LocalLimiter;

  constructor(
    private readonly redis: Redis,
    now: () => number = Date.now,
  ) {
    this.local = new LocalLimiter(now);
  }

  async admit(scopes: readonly LimitScope[], member: string, estimatedTokens: number): Promise<Admission> {
    if (scopes.length === 0) return { admitted: true, ticket: NOTHING_TO_RELEASE };
    const keys: string[] = [];
    const args: Array<string | number> = [Date.now(), member, estimatedTokens, WINDOW_MS, CONCURRENCY_LEASE_MS];
    for (const scope of scopes) {
      for (const kind of KINDS) keys.push(redisKeys.limit(scope.name, kind));
      args.push(cap(scope.limits.requestsPerMinute), cap(scope.limits.tokensPerMinute), cap(scope.limits.concurrentRequests));
    }
    let reply: number[] | null;
    try {
      reply = numberArray(await ADMIT_SCRIPT.run(this.redis, keys, args));
    } catch (error) {
      logger.warn('rate limits counted on this node only (Redis unavailable)', { error: describeError(error) });
      return this.admitLocally(scopes, estimatedTokens);
    }
    if (reply && reply[0] === 0) {
      const scope = scopes[reply[1] ?? 0];
      const retryAfterMs = reply[3] ?? 1000;
      return {
        admitted: false,
        refusal: { scope: scope?.name ?? '', kind: KINDS[reply[2] ?? 0] ?? 'rpm', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
      };
    }
    return { admitted: true, ticket: this.ticketFor(scopes, member, estimatedTokens) };
  }

  private admitLocally(scopes: readonly LimitScope[], estimatedTokens: number): Admission {
    const refusal = this.local.admit(scopes, estimatedTokens);
    if (refusal) return { admitted: false, refusal: { scope: refusal.scope, kind: refusal.kind, retryAfterSeconds: Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)) } };
    let released = false;
    return {
      admitted: true,
      ticket: {
        release: (actualTokens) => {
          if (!released) {
            released = true;
            this.local.release(scopes, actualTokens === null ? 0 : actualTokens - estimatedTokens);
          }
          return Promise.resolve();
        },
      },
    };
  }

  private ticketFor(scopes: readonly LimitScope[], member: string, estimatedTokens: number): LimitTicket {
    const held = scopes.filter((scope) => scope.limits.tokensPerMinute !== null || scope.limits.concurrentRequests !== null);
    if (held.length === 0) return NOTHING_TO_RELEASE;
    let released = false;
    return {
      release: async (actualTokens) => {
        if (released) return;
        released = true;
        const correction = actualTokens === null ? 0 : actualTokens - estimatedTokens;
        const keys: string[] = [];
        const args: Array<string | number> = [member, correction];
        for (const scope of held) {
          keys.push(redisKeys.limit(scope.name, 'tpm'), redisKeys.limit(scope.name, 'concurrency'));
          args.push(scope.limits.tokensPerMinute !== null ? 1 : 0, scope.limits.concurrentRequests !== null ? 1 : 0);
        }
        if (correction === 0 && !held.some((scope) => scope.limits.concurrentRequests !== null)) return;
        try {
          await RELEASE_SCRIPT.run(this.redis, keys, args);
        } catch (error) {
          // The lease frees the slot later; the token count stays at the estimate.
          logger.warn('rate limit release failed', { error: describeError(error) });
        }
      },
    };
  }
}
