// Two-phase money movement on the Redis wallet: reserve the worst case before calling upstream, settle the actual cost
// exactly once afterwards. Both steps are single Lua scripts, so concurrent requests can never overspend.
import { createHash } from 'node:crypto';
import { redisKeys } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { RelayError } from '../relay/relay-error';

/** An open reservation lives this long before the sweeper may resolve it (longer than any stream we allow). */
export const RESERVATION_LIFETIME_MS = 30 * 60 * 1000;

// KEYS: wallet, reservation, reservations-by-expiry. ARGV: amount, userId, expiresAt, requestId.
// Returns {1, balanceAfter} when reserved, {0, balance} when the wallet is short, {-1, balance} on a duplicate id.
const RESERVE_SCRIPT = `
local balance = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, balance} end
if balance < amount then return {0, balance} end
redis.call('DECRBY', KEYS[1], amount)
redis.call('HSET', KEYS[2], 'userId', ARGV[2], 'amount', ARGV[1], 'expiresAt', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return {1, balance - amount}
`;

// KEYS: reservation, reservations-by-expiry, wallet. ARGV: actual cost, requestId.
// Refunds reserved - actual (negative when the real cost exceeded the estimate) and deletes the reservation.
// Returns {1, refund} when settled, {0, 0} when there was nothing to settle (already settled or swept).
const SETTLE_SCRIPT = `
local amount = redis.call('HGET', KEYS[1], 'amount')
if not amount then return {0, 0} end
local refund = tonumber(amount) - tonumber(ARGV[1])
if refund ~= 0 then redis.call('INCRBY', KEYS[3], refund) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return {1, refund}
`;

type ScriptReply = [number, number];

function isScriptReply(value: unknown): value is ScriptReply {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
}

const RESERVE_SHA = createHash('sha1').update(RESERVE_SCRIPT).digest('hex');
const SETTLE_SHA = createHash('sha1').update(SETTLE_SCRIPT).digest('hex');

export class WalletService {
  constructor(private readonly redis: Redis) {}

  /** EVALSHA first (no script text on the wire per request); EVAL once when Redis has not cached it yet. */
  private async run(script: string, sha: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(script, keys.length, ...keys, ...args);
      throw error;
    }
  }

  /** Takes `amount` credits from the user's wallet or throws 402 insufficient_quota (503 when Redis is down). */
  async reserve(requestId: string, userId: string, amount: number): Promise<void> {
    const expiresAt = Date.now() + RESERVATION_LIFETIME_MS;
    let reply: unknown;
    try {
      reply = await this.run(
        RESERVE_SCRIPT,
        RESERVE_SHA,
        [redisKeys.wallet(userId), redisKeys.reservation(requestId), redisKeys.reservationsByExpiry],
        [amount, userId, expiresAt, requestId],
      );
    } catch {
      throw new RelayError('service_unavailable', 'The gateway cannot reserve credits right now. Please retry shortly.');
    }
    if (!isScriptReply(reply)) throw new RelayError('internal_error', 'An internal error occurred.');
    if (reply[0] === 0) {
      throw new RelayError(
        'insufficient_quota',
        `Insufficient balance: this request may cost up to ${amount} credits. Lower max_tokens or top up your account.`,
      );
    }
    if (reply[0] === -1) throw new RelayError('internal_error', 'An internal error occurred.');
  }

  /** Charges `actualCost` against the reservation; a second call for the same request does nothing. */
  async settle(requestId: string, userId: string, actualCost: number): Promise<{ settled: boolean; refund: number }> {
    const reply = await this.run(
      SETTLE_SCRIPT,
      SETTLE_SHA,
      [redisKeys.reservation(requestId), redisKeys.reservationsByExpiry, redisKeys.wallet(userId)],
      [actualCost, requestId],
    );
    if (!isScriptReply(reply)) throw new Error('unexpected settle script reply');
    return { settled: reply[0] === 1, refund: reply[1] };
  }
}
