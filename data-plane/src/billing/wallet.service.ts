// Two-phase money movement in Redis: reserve the worst case before calling upstream (plan allowance first, then the
// wallet, and the token quota when the key is quota-limited), settle the actual cost exactly once afterwards. Each step
// is one Lua script, so concurrent requests can never overspend and a step is all or nothing; the steps requests take
// in one event-loop turn travel together as one command (wallet-script-batch.ts).
//
// Refund rule (documented choice): the actual cost is charged to the plan part of the reservation first and the wallet
// part second, so an unused remainder goes back to the wallet first and to the plan last. Overshoot (actual > reserved)
// takes what is still available (plan if the request could use it, then wallet), never below zero, and the part that
// could not be taken is returned as `uncovered` so the caller flags it.
import { createHash } from 'node:crypto';
import { redisKeys } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { RelayError } from '../relay/relay-error';
import { describeError, logger } from '../observability/logger';
import { OfflineAllowance } from './offline-allowance';
import { WalletScriptBatch } from './wallet-script-batch';

/** An open reservation lives this long before the sweeper may resolve it (longer than any stream we allow). */
export const RESERVATION_LIFETIME_MS = 30 * 60 * 1000;

// KEYS: wallet, reservation, reservations-by-expiry, plan allowance, plan scope, token quota.
// ARGV: amount, userId, expiresAt, requestId, model, group, quotaLimited (1|0), tokenId.
// Returns {1, fromPlan, fromWallet, walletLeft} reserved | {0, wallet, 0, wallet} wallet short | {-2, quota, 0, wallet} token
// quota short | {-1, 0, 0, 0} duplicate. The wallet figure feeds the node's offline allowance (offline-allowance.ts).
// The reservation hash layout (userId tokenId model amount plan wallet quota eligible expiresAt) is shared with the
// settle script below and with the sweeper in workers/src/jobs/reservation-sweeper.job.ts.
export const RESERVE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, 0, 0, 0} end
local amount = tonumber(ARGV[1])
local eligible = 0
if redis.call('EXISTS', KEYS[5]) == 1 then
  local modelOk = redis.call('SISMEMBER', KEYS[5], 'm:*') == 1 or redis.call('SISMEMBER', KEYS[5], 'm:' .. ARGV[5]) == 1
  local groupOk = redis.call('SISMEMBER', KEYS[5], 'g:*') == 1 or redis.call('SISMEMBER', KEYS[5], 'g:' .. ARGV[6]) == 1
  if modelOk and groupOk then eligible = 1 end
end
local fromPlan = 0
if eligible == 1 then
  local plan = tonumber(redis.call('GET', KEYS[4]) or '0')
  if plan > 0 then fromPlan = math.min(plan, amount) end
end
local fromWallet = amount - fromPlan
local wallet = tonumber(redis.call('GET', KEYS[1]) or '0')
if wallet < fromWallet then return {0, wallet, 0, wallet} end
local quota = 0
if ARGV[7] == '1' then
  local left = tonumber(redis.call('GET', KEYS[6]) or '0')
  if left < amount then return {-2, left, 0, wallet} end
  quota = amount
  if amount > 0 then redis.call('DECRBY', KEYS[6], amount) end
end
if fromPlan > 0 then redis.call('DECRBY', KEYS[4], fromPlan) end
if fromWallet > 0 then redis.call('DECRBY', KEYS[1], fromWallet) end
redis.call('HSET', KEYS[2], 'userId', ARGV[2], 'tokenId', ARGV[8], 'model', ARGV[5], 'amount', amount, 'plan', fromPlan,
  'wallet', fromWallet, 'quota', quota, 'limited', ARGV[7], 'eligible', eligible, 'expiresAt', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return {1, fromPlan, fromWallet, wallet - fromWallet}
`;

// KEYS: reservation, reservations-by-expiry, wallet, plan allowance, token quota, usage stream.
// ARGV: actual cost, requestId, usage event JSON.
// Appends the usage event with what was actually charged in the same step, so money never moves without its event
// (a node that dies right after settling loses nothing) and both cost one round trip.
// Returns {1, planCost, walletCost, uncovered} when settled, {0, 0, 0, 0} when nothing was open. Nothing open means
// this settle ran already (a retry after a lost reply: its event is in the stream) or the sweeper resolved the
// reservation (it refunded it and wrote the request's zero-cost record): either way no second event may be written,
// or a cost-0 duplicate could be billed before the charged one. That makes the script safe to run again.
export const SETTLE_SCRIPT = `
local r = redis.call('HMGET', KEYS[1], 'amount', 'plan', 'wallet', 'quota', 'limited', 'eligible')
if not r[1] then return {0, 0, 0, 0} end
local actual = tonumber(ARGV[1])
local plan = tonumber(r[2] or '0')
local wallet = tonumber(r[3] or '0')
local quota = tonumber(r[4] or '0')
local planCost = math.min(actual, plan)
local walletCost = math.min(actual - planCost, wallet)
local extra = actual - planCost - walletCost
if plan - planCost > 0 then redis.call('INCRBY', KEYS[4], plan - planCost) end
if wallet - walletCost > 0 then redis.call('INCRBY', KEYS[3], wallet - walletCost) end
if extra > 0 and r[6] == '1' then
  local take = math.min(extra, math.max(0, tonumber(redis.call('GET', KEYS[4]) or '0')))
  if take > 0 then redis.call('DECRBY', KEYS[4], take) end
  planCost = planCost + take
  extra = extra - take
end
if extra > 0 then
  local take = math.min(extra, math.max(0, tonumber(redis.call('GET', KEYS[3]) or '0')))
  if take > 0 then redis.call('DECRBY', KEYS[3], take) end
  walletCost = walletCost + take
  extra = extra - take
end
if r[5] == '1' then
  local delta = quota - planCost - walletCost
  if delta > 0 then redis.call('INCRBY', KEYS[5], delta) end
  if delta < 0 then
    local take = math.min(-delta, math.max(0, tonumber(redis.call('GET', KEYS[5]) or '0')))
    if take > 0 then redis.call('DECRBY', KEYS[5], take) end
  end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('XADD', KEYS[6], '*', 'e', ARGV[3], 'p', planCost, 'w', walletCost, 'u', extra)
return {1, planCost, walletCost, extra}
`;

/**
 * True when a failed command certainly never reached Redis: the connection was not up, and the request path has no
 * offline queue, so ioredis refused it at once. A timeout or a connection dropped after the write may have run it.
 */
function neverSent(error: unknown): boolean {
  return error instanceof Error && error.message.includes("Stream isn't writeable");
}

function isNumberArray(value: unknown, length: number): value is number[] {
  return Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number');
}

/** Operation codes of the two scripts in the wallet's batch (the order they are given to WalletScriptBatch). */
const BATCH_RESERVE = 1;
const BATCH_SETTLE = 2;

export interface ReserveRequest {
  requestId: string;
  userId: string;
  tokenId: string;
  /** Worst-case credits. */
  amount: number;
  /** Model as the client asked for it (the plan's allowed-model check). */
  model: string;
  /** Effective group of the request (the plan's allowed-group check). */
  group: string;
  /** The key has a spending cap held in redisKeys.tokenQuota. */
  quotaLimited: boolean;
}

export interface Reservation {
  fromPlan: number;
  fromWallet: number;
  /** Taken from this node's offline allowance while Redis was unreachable (nothing is held in Redis). */
  offline?: true;
}

export interface SettleResult {
  /** False when there was nothing open to settle (already settled or swept): no money moved. */
  settled: boolean;
  planCost: number;
  walletCost: number;
  /** Overshoot that no balance could cover (flag it; never charged). */
  uncovered: number;
  /** An offline request's charge that Redis could not take yet: spool it with the event. */
  pendingCharge?: OfflineCharge;
}

// KEYS: reservation, reservations-by-expiry. ARGV: new expiresAt, requestId. Keeps a long request's reservation open
// (the sweeper only resolves expired ones); returns 0 when it is already settled or swept.
const EXTEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'expiresAt', ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2])
return 1
`;
const EXTEND_SHA = createHash('sha1').update(EXTEND_SCRIPT).digest('hex');

// KEYS: charge marker, wallet, plan allowance, plan scope, usage stream. ARGV: cost, model, group, usage event JSON,
// marker lifetime (s). Books a request a node served while Redis was unreachable: plan allowance first when the plan
// covers the model and group, then the wallet, never below zero (the rest is reported as uncovered), and appends the
// event with that charge. The marker makes it once per request, however often a spool replay runs.
// Returns {1, planCost, walletCost, uncovered}, or {0, 0, 0, 0} when this request was charged already.
const LATE_CHARGE_SCRIPT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[5]) then return {0, 0, 0, 0} end
local cost = tonumber(ARGV[1])
local planCost = 0
if redis.call('EXISTS', KEYS[4]) == 1 then
  local modelOk = redis.call('SISMEMBER', KEYS[4], 'm:*') == 1 or redis.call('SISMEMBER', KEYS[4], 'm:' .. ARGV[2]) == 1
  local groupOk = redis.call('SISMEMBER', KEYS[4], 'g:*') == 1 or redis.call('SISMEMBER', KEYS[4], 'g:' .. ARGV[3]) == 1
  if modelOk and groupOk then
    planCost = math.min(cost, math.max(0, tonumber(redis.call('GET', KEYS[3]) or '0')))
    if planCost > 0 then redis.call('DECRBY', KEYS[3], planCost) end
  end
end
local walletCost = math.min(cost - planCost, math.max(0, tonumber(redis.call('GET', KEYS[2]) or '0')))
if walletCost > 0 then redis.call('DECRBY', KEYS[2], walletCost) end
local uncovered = cost - planCost - walletCost
redis.call('XADD', KEYS[5], '*', 'e', ARGV[4], 'p', planCost, 'w', walletCost, 'u', uncovered)
return {1, planCost, walletCost, uncovered}
`;
const LATE_CHARGE_SHA = createHash('sha1').update(LATE_CHARGE_SCRIPT).digest('hex');
/** Long enough for any outage's spool to be replayed; a replay later than this could charge twice. */
const LATE_CHARGE_MARKER_SECONDS = 30 * 24 * 3600;

/** A charge for a request served while Redis was unreachable, still to be booked (spooled with its event). */
export interface OfflineCharge {
  requestId: string;
  userId: string;
  cost: number;
  model: string;
  group: string;
}

export class WalletService {
  /** Reservations taken from the offline allowance, by request id, until they are settled. */
  private readonly offlineReservations = new Map<string, ReserveRequest>();
  /** Reserves and settles of one event-loop turn leave as one command (wallet-script-batch.ts). */
  private readonly batch: WalletScriptBatch;

  /** Reservations this node holds open in Redis (reserved, not settled yet): the keep-alive pushes their expiry. */
  private readonly open = new Set<string>();
  private keepAliveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly offline: OfflineAllowance = new OfflineAllowance(0),
  ) {
    this.batch = new WalletScriptBatch(redis, [{ body: RESERVE_SCRIPT }, { body: SETTLE_SCRIPT }]);
  }

  /**
   * While a request runs (a long stream, a realtime session), its reservation's expiry is pushed a full lifetime ahead
   * every `intervalMs`, so the sweeper never resolves it early. One node-wide timer for all of them: a timer per
   * request cost more than the extend calls it rarely made.
   */
  startKeepAlive(intervalMs = RESERVATION_LIFETIME_MS / 3): void {
    this.keepAliveTimer ??= setInterval(() => void this.extendOpen(), intervalMs);
    this.keepAliveTimer.unref();
  }

  stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
  }

  private async extendOpen(): Promise<void> {
    const open = [...this.open];
    const failed = (await Promise.all(open.map((requestId) => this.extend(requestId).then(() => 0, () => 1)))).reduce<number>((sum, one) => sum + one, 0);
    if (failed > 0) logger.warn('reservation keep-alive failed', { failed, open: open.length });
  }

  /** EVALSHA first (no script text on the wire per call); EVAL once when Redis has not cached it yet. */
  private async run(script: string, sha: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(script, keys.length, ...keys, ...args);
      throw error;
    }
  }

  /** Redis unreachable: a caller this node knows may still spend within its offline allowance. */
  private reserveOffline(request: ReserveRequest): Reservation {
    if (request.quotaLimited || !this.offline.tryReserve(request.userId, request.amount)) {
      throw new RelayError('service_unavailable', 'The gateway cannot reserve credits right now. Please retry shortly.');
    }
    this.offlineReservations.set(request.requestId, request);
    return { fromPlan: 0, fromWallet: request.amount, offline: true };
  }

  /** Takes the worst case from plan, wallet (and token quota) or throws 402 insufficient_quota (503 when Redis is down). */
  async reserve(request: ReserveRequest): Promise<Reservation> {
    // Not connected: the request path has no offline queue, so the command would be refused unsent anyway.
    if (this.redis.status !== 'ready') return this.reserveOffline(request);
    const expiresAt = Date.now() + RESERVATION_LIFETIME_MS;
    let reply: unknown;
    try {
      reply = await this.batch.run(
        BATCH_RESERVE,
        [
          redisKeys.wallet(request.userId),
          redisKeys.reservation(request.requestId),
          redisKeys.reservationsByExpiry,
          redisKeys.planAllowance(request.userId),
          redisKeys.planScope(request.userId),
          redisKeys.tokenQuota(request.tokenId),
        ],
        [request.amount, request.userId, expiresAt, request.requestId, request.model, request.group, request.quotaLimited ? '1' : '0', request.tokenId],
      );
    } catch (error) {
      // Only a command that never left this node may fall back to the offline allowance: one that timed out may have
      // run, and its reservation would then hold the money a second time until the sweeper refunds it.
      if (neverSent(error)) return this.reserveOffline(request);
      throw new RelayError('service_unavailable', 'The gateway cannot reserve credits right now. Please retry shortly.');
    }
    if (!isNumberArray(reply, 4)) throw new RelayError('internal_error', 'An internal error occurred.');
    const [status, first, second, walletLeft] = reply as [number, number, number, number];
    if (status !== -1) this.offline.observe(request.userId, walletLeft);
    if (status === 0) {
      throw new RelayError(
        'insufficient_quota',
        `Insufficient balance: this request may cost up to ${request.amount} credits. Lower max_tokens or top up your account.`,
      );
    }
    if (status === -2) {
      throw new RelayError(
        'insufficient_quota',
        `This API key's quota is exhausted: this request may cost up to ${request.amount} credits. Raise the key's quota or use another key.`,
      );
    }
    if (status !== 1) throw new RelayError('internal_error', 'An internal error occurred.');
    this.open.add(request.requestId);
    return { fromPlan: first, fromWallet: second };
  }

  /** Pushes an open reservation's expiry a full lifetime ahead (called periodically while a request is in flight). */
  async extend(requestId: string): Promise<boolean> {
    const reply = await this.run(EXTEND_SCRIPT, EXTEND_SHA, [redisKeys.reservation(requestId), redisKeys.reservationsByExpiry], [Date.now() + RESERVATION_LIFETIME_MS, requestId]);
    return reply === 1;
  }

  /**
   * Charges `actualCost` against the reservation (0 = void) and appends `eventJson` (its cost fields are filled in
   * from what was charged when the stream is read); a second call for the same request moves no money.
   */
  async settle(requestId: string, userId: string, tokenId: string, actualCost: number, eventJson: string): Promise<SettleResult> {
    const offline = this.offlineReservations.get(requestId);
    if (offline) return this.settleOffline(offline, actualCost, eventJson);
    // Closed from here on, whatever the reply: a settle that fails is run again from the spool, not kept alive.
    this.open.delete(requestId);
    const reply = await this.batch.run(
      BATCH_SETTLE,
      [
        redisKeys.reservation(requestId),
        redisKeys.reservationsByExpiry,
        redisKeys.wallet(userId),
        redisKeys.planAllowance(userId),
        redisKeys.tokenQuota(tokenId),
        redisKeys.usageStream,
      ],
      [actualCost, requestId, eventJson],
    );
    if (!isNumberArray(reply, 4)) throw new Error('unexpected settle script reply');
    const [status, planCost, walletCost, uncovered] = reply as [number, number, number, number];
    return { settled: status === 1, planCost, walletCost, uncovered };
  }

  /**
   * Closes a reservation taken offline: the allowance learns the actual cost, and the charge is booked now if Redis is
   * back, else handed to the caller (`pendingCharge`) to spool with its event and book on replay.
   */
  private async settleOffline(reservation: ReserveRequest, actualCost: number, eventJson: string): Promise<SettleResult> {
    this.offlineReservations.delete(reservation.requestId);
    this.offline.settle(reservation.userId, reservation.amount, actualCost);
    const charge: OfflineCharge = { requestId: reservation.requestId, userId: reservation.userId, cost: actualCost, model: reservation.model, group: reservation.group };
    try {
      const booked = await this.chargeLate(charge, eventJson);
      return { ...booked, settled: true };
    } catch {
      return { settled: true, planCost: 0, walletCost: actualCost, uncovered: 0, pendingCharge: charge };
    }
  }

  /** Books a request served offline (once per request id) and appends its event; throws while Redis is unreachable. */
  async chargeLate(charge: OfflineCharge, eventJson: string): Promise<Omit<SettleResult, 'settled'> & { settled: boolean }> {
    const reply = await this.run(
      LATE_CHARGE_SCRIPT,
      LATE_CHARGE_SHA,
      [
        redisKeys.offlineCharge(charge.requestId),
        redisKeys.wallet(charge.userId),
        redisKeys.planAllowance(charge.userId),
        redisKeys.planScope(charge.userId),
        redisKeys.usageStream,
      ],
      [charge.cost, charge.model, charge.group, eventJson, LATE_CHARGE_MARKER_SECONDS],
    );
    if (!isNumberArray(reply, 4)) throw new Error('unexpected late charge script reply');
    const [status, planCost, walletCost, uncovered] = reply as [number, number, number, number];
    // Booked now or before (status 0): either way Redis holds it, so it no longer counts against the offline allowance.
    this.offline.booked(charge.userId, charge.cost, walletCost);
    return { settled: status === 1, planCost, walletCost, uncovered };
  }
}
