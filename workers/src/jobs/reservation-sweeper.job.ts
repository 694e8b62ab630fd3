// Resolves reservations whose request never settled (a data plane crashed, Redis hiccuped at settle): refunds what was
// reserved to where it came from and writes a zero-cost usage record, so nothing is lost. Safe beside a late settle:
// the claim and the settle both delete the reservation atomically, so whichever runs first wins and the other no-ops.
import type { MikroORM } from '@mikro-orm/core';
import { redisKeys, type UsageEventInput } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { billUsage } from './usage-billing.job';

// KEYS: reservation, reservations-by-expiry, wallet, plan allowance, token quota. ARGV: requestId, userId, now.
// Hash layout as written by the reserve script in data-plane/src/billing/wallet.service.ts.
// Returns {1, amount, plan, wallet} when claimed and refunded, {2, ...} when only a stale index entry was dropped,
// {0, ...} when the entry does not belong to what was read (left alone).
const SWEEP_SCRIPT = `
local r = redis.call('HMGET', KEYS[1], 'userId', 'amount', 'plan', 'wallet', 'quota', 'limited', 'expiresAt')
if not r[1] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {2, 0, 0, 0}
end
if r[1] ~= ARGV[2] or tonumber(r[7] or '0') > tonumber(ARGV[3]) then return {0, 0, 0, 0} end
local plan = tonumber(r[3] or '0')
local wallet = tonumber(r[4] or '0')
local quota = tonumber(r[5] or '0')
if plan > 0 then redis.call('INCRBY', KEYS[4], plan) end
if wallet > 0 then redis.call('INCRBY', KEYS[3], wallet) end
if r[6] == '1' and quota > 0 then redis.call('INCRBY', KEYS[5], quota) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {1, tonumber(r[2] or '0'), plan, wallet}
`;

export interface SweeperDependencies {
  orm: MikroORM;
  redis: Redis;
  /** Injected clock (epoch ms) so tests can expire reservations without waiting. */
  now?: () => number;
  batchSize?: number;
}

export interface SweepResult {
  swept: number;
  refunded: number;
}

/** One pass over every expired reservation, in batches; returns how many it resolved and how many credits went back. */
export async function sweepReservations(dependencies: SweeperDependencies): Promise<SweepResult> {
  const now = (dependencies.now ?? Date.now)();
  const batchSize = dependencies.batchSize ?? 200;
  const result: SweepResult = { swept: 0, refunded: 0 };
  let offset = 0;
  for (;;) {
    const requestIds = await dependencies.redis.zrangebyscore(redisKeys.reservationsByExpiry, '-inf', now, 'LIMIT', offset, batchSize);
    if (requestIds.length === 0) break;
    for (const requestId of requestIds) {
      const fields = await dependencies.redis.hmget(redisKeys.reservation(requestId), 'userId', 'tokenId', 'model', 'expiresAt');
      const [userId, tokenId, model] = fields;
      const reply = (await dependencies.redis.eval(
        SWEEP_SCRIPT,
        5,
        redisKeys.reservation(requestId),
        redisKeys.reservationsByExpiry,
        redisKeys.wallet(userId ?? ''),
        redisKeys.planAllowance(userId ?? ''),
        redisKeys.tokenQuota(tokenId ?? ''),
        requestId,
        userId ?? '',
        String(now),
      )) as number[];
      // Entries that stay in the sorted set are skipped by moving the page offset past them.
      if (reply[0] === 0) offset += 1;
      if (reply[0] !== 1 || !userId) continue;
      const amount = reply[1] ?? 0;
      result.swept += 1;
      result.refunded += (reply[2] ?? 0) + (reply[3] ?? 0);
      const event: UsageEventInput = {
        requestId, userId, tokenId: tokenId ?? '', channelId: null, model: model ?? '', upstreamModel: null, endpoint: 'unknown', stream: false,
        status: 'error', httpStatus: 0, promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false,
        cost: 0, reserved: amount, snapshotVersion: 0, startedAt: now, durationMs: 0, firstByteMs: null, clientIp: null, errorCode: 'reservation_expired',
        planCost: 0, tags: ['billing:swept'],
      };
      // Money is already back in Redis; this is the record. If the request's own event lands later it is a duplicate.
      try {
        await billUsage(event, { orm: dependencies.orm });
      } catch (error) {
        process.stderr.write(`[workers] swept reservation ${requestId}: usage record failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
  return result;
}
