// Property test of the money invariants over random interleavings of top-up, reserve, settle, void, expire + sweep,
// late settle after a sweep, plan reset (controllable clock) and usage jobs (some processed twice, as after a worker
// crash). After EVERY step: no Redis balance is negative, SQL balance == ledger sum, and Redis spendable + open
// reservations + not-yet-billed usage == SQL for both the wallet and the plan allowance; after draining, reconcile
// finds no drift. Real Redis and the TEST_DB database. Replay a failure with MONEY_PROPERTY_SEED (+ MONEY_PROPERTY_PATH).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import {
  ApiToken,
  hashPassword,
  LedgerEntry,
  openDatabase,
  planAllowanceOf,
  PlanRedis,
  PlanService,
  postLedgerEntry,
  resetPlanPeriod,
  User,
  type Database,
  type Plan,
} from '@nebulagate/control-plane';
import { redisKeys, type UsageEventInput } from '@nebulagate/schema';
import { createTestDatabase, newestUsageStreamEvent, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { billUsage, reconcileMoney, sweepReservations } from '@nebulagate/workers';
import { WalletService } from '../../data-plane/src/billing/wallet.service';

const SYSTEM = { user: null, ip: null };
const PLAN_MODEL = 'plan-model';

type Action =
  | { kind: 'topUp'; amount: number }
  | { kind: 'reserve'; amount: number; planModel: boolean }
  | { kind: 'settle'; pick: number; percent: number }
  | { kind: 'void'; pick: number }
  | { kind: 'expireAndSweep'; pick: number }
  | { kind: 'lateSettle'; pick: number }
  | { kind: 'planReset' }
  | { kind: 'bill'; pick: number; twice: boolean };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('topUp' as const), amount: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ kind: fc.constant('reserve' as const), amount: fc.integer({ min: 0, max: 2_500 }), planModel: fc.boolean() }),
  fc.record({ kind: fc.constant('reserve' as const), amount: fc.integer({ min: 0, max: 2_500 }), planModel: fc.boolean() }),
  // Up to 160 %: above 100 the actual cost overshoots the reservation.
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), percent: fc.integer({ min: 0, max: 160 }) }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('expireAndSweep' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('lateSettle' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('planReset' as const) }),
  fc.record({ kind: fc.constant('bill' as const), pick: fc.nat(), twice: fc.boolean() }),
  fc.record({ kind: fc.constant('bill' as const), pick: fc.nat(), twice: fc.boolean() }),
);

interface OpenReservation {
  requestId: string;
  amount: number;
}

interface PendingEvent {
  event: UsageEventInput;
  planCost: number;
  walletCost: number;
}

let redisServer: RedisServerHandle;
let redis: Redis;
let testDatabase: TestDatabase;
let database: Database;
let wallet: WalletService;
let planRedis: PlanRedis;
let plan: Plan;

beforeAll(async () => {
  [redisServer, testDatabase] = await Promise.all([startRedisServer(), createTestDatabase()]);
  database = await openDatabase(testDatabase.url);
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
  wallet = new WalletService(redis);
  planRedis = new PlanRedis(redis);
  plan = await new PlanService(planRedis).createPlan(database.orm.em.fork(), SYSTEM, {
    name: 'property-monthly', allowance: 2_000, period: 'month', rolloverCap: 500, models: [PLAN_MODEL],
  });
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await database?.close();
  await redisServer?.stop();
  await testDatabase?.drop();
});

function usageEventOf(requestId: string, userId: string, tokenId: string, model: string, cost: number, planCost: number, reserved: number, errorCode: string | null): UsageEventInput {
  return {
    requestId, userId, tokenId, channelId: null, model, upstreamModel: model, endpoint: '/v1/chat/completions', stream: false,
    status: errorCode ? 'error' : 'success', httpStatus: errorCode ? 502 : 200, promptTokens: 0, completionTokens: 0, cacheReadTokens: 0,
    cacheWriteTokens: 0, estimated: false, cost, reserved, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: null,
    clientIp: null, errorCode, planCost,
  };
}

async function redisNumber(key: string): Promise<number> {
  return Number((await redis.get(key)) ?? '0');
}

/** What the open reservations of one user still hold, read from Redis itself. */
async function openParts(userId: string, open: OpenReservation[]): Promise<{ wallet: number; plan: number }> {
  let walletPart = 0;
  let planPart = 0;
  for (const reservation of open) {
    const [owner, walletField, planField] = await redis.hmget(redisKeys.reservation(reservation.requestId), 'userId', 'wallet', 'plan');
    if (owner !== userId) throw new Error(`reservation ${reservation.requestId} is missing from Redis while the model says open`);
    walletPart += Number(walletField);
    planPart += Number(planField);
  }
  return { wallet: walletPart, plan: planPart };
}

class Run {
  readonly open: OpenReservation[] = [];
  readonly swept: OpenReservation[] = [];
  readonly pending: PendingEvent[] = [];
  private counter = 0;
  private months = 0;

  constructor(readonly userId: string, readonly tokenId: string, readonly runId: string) {}

  static async start(): Promise<Run> {
    const em = database.orm.em.fork();
    const user = em.create(User, { username: `property-${randomUUID()}`, passwordHash: await hashPassword('password-123'), balance: 0 });
    const token = em.create(ApiToken, { keyHash: randomUUID().replace(/-/g, ''), keyPrefix: 'sk-ng-prop', name: 'property', user, unlimitedQuota: true });
    await em.flush();
    await redis.set(redisKeys.wallet(user.id), 0);
    const run = new Run(user.id, token.id, randomUUID().slice(0, 8));
    await new PlanService(planRedis, () => run.now()).assignPlan(database.orm.em.fork(), SYSTEM, { userId: user.id, planId: plan.id });
    return run;
  }

  now(): Date {
    return new Date(Date.UTC(2026, 10 + this.months, 15, 12));
  }

  private nextId(): string {
    this.counter += 1;
    return `prop-${this.runId}-${this.counter}`;
  }

  private take<T>(list: T[], pick: number): T | null {
    if (list.length === 0) return null;
    const [item] = list.splice(pick % list.length, 1);
    return item ?? null;
  }

  async apply(action: Action): Promise<void> {
    switch (action.kind) {
      case 'topUp': {
        const entry = await database.orm.em.fork().transactional((transaction) =>
          postLedgerEntry(transaction, { userId: this.userId, kind: 'topup', amount: action.amount, reason: 'property top-up', actorId: null, idempotencyKey: `topup:${this.nextId()}`, allowNegative: false }),
        );
        // Spendable follows booked money after the commit (as the ledger service does).
        await redis.incrby(redisKeys.wallet(this.userId), entry.amount);
        return;
      }
      case 'reserve': {
        const requestId = this.nextId();
        const model = action.planModel ? PLAN_MODEL : 'other-model';
        try {
          await wallet.reserve({ requestId, userId: this.userId, tokenId: this.tokenId, amount: action.amount, model, group: 'default', quotaLimited: false });
          this.open.push({ requestId, amount: action.amount });
        } catch (error) {
          if (!(error instanceof Error) || !('code' in error) || error.code !== 'insufficient_quota') throw error;
        }
        return;
      }
      case 'settle':
      case 'void': {
        const reservation = this.take(this.open, action.pick);
        if (!reservation) return;
        const actual = action.kind === 'void' ? 0 : Math.floor((reservation.amount * action.percent) / 100);
        const written = usageEventOf(reservation.requestId, this.userId, this.tokenId, PLAN_MODEL, 0, 0, reservation.amount, action.kind === 'void' ? 'upstream_error' : null);
        const result = await wallet.settle(reservation.requestId, this.userId, this.tokenId, actual, JSON.stringify(written));
        if (!result.settled) throw new Error(`settle of open ${reservation.requestId} found nothing`);
        // The worker bills the event as the settle script recorded it: its charge must be what the script reported.
        const event = await newestUsageStreamEvent(redis);
        if (event.requestId !== reservation.requestId || event.cost !== result.planCost + result.walletCost || event.planCost !== result.planCost) {
          throw new Error(`the streamed event of ${reservation.requestId} does not carry its settle's charge`);
        }
        this.pending.push({ event, planCost: result.planCost, walletCost: result.walletCost });
        return;
      }
      case 'expireAndSweep': {
        const reservation = this.take(this.open, action.pick);
        if (!reservation) return;
        // Expire just this one (as if its node crashed long ago), then run the sweeper at the real time.
        await redis.zadd(redisKeys.reservationsByExpiry, 1, reservation.requestId);
        await redis.hset(redisKeys.reservation(reservation.requestId), 'expiresAt', 1);
        const swept = await sweepReservations({ orm: database.orm, redis });
        if (swept.swept !== 1) throw new Error(`sweeper resolved ${swept.swept} reservations, expected 1`);
        this.swept.push(reservation);
        return;
      }
      case 'lateSettle': {
        // The crashed node comes back and settles a reservation the sweeper already resolved: nothing moves.
        const reservation = this.take(this.swept, action.pick);
        if (!reservation) return;
        const written = usageEventOf(reservation.requestId, this.userId, this.tokenId, PLAN_MODEL, 0, 0, reservation.amount, null);
        const streamed = await redis.xlen(redisKeys.usageStream);
        const result = await wallet.settle(reservation.requestId, this.userId, this.tokenId, reservation.amount, JSON.stringify(written));
        if (result.settled) throw new Error('a settle after the sweep moved money');
        // The sweeper wrote this request's record; a second event (cost 0) could race a charged one, so none is added.
        if ((await redis.xlen(redisKeys.usageStream)) !== streamed) throw new Error('a late settle appended a usage event');
        // Billed anyway (as a replayed copy would be), it books nothing.
        this.pending.push({ event: written, planCost: 0, walletCost: 0 });
        return;
      }
      case 'planReset': {
        this.months += 1;
        const outcome = await resetPlanPeriod(database.orm.em.fork(), planRedis, this.userId, this.now());
        if (outcome.outcome !== 'reset') throw new Error(`plan reset at a new month said ${outcome.outcome}`);
        // The same tick again (a duplicated scheduler) changes nothing.
        const again = await resetPlanPeriod(database.orm.em.fork(), planRedis, this.userId, this.now());
        if (again.outcome !== 'already-reset') throw new Error('a second reset in one period was not refused');
        return;
      }
      case 'bill': {
        const pending = this.take(this.pending, action.pick);
        if (!pending) return;
        // twice = a worker that crashed after committing and a retry, running side by side.
        const runs = action.twice ? [billUsage(pending.event, { orm: database.orm }), billUsage(pending.event, { orm: database.orm })] : [billUsage(pending.event, { orm: database.orm })];
        await Promise.all(runs);
        return;
      }
    }
  }

  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.apply({ kind: 'bill', pick: 0, twice: false });
  }

  async checkInvariants(step: string): Promise<void> {
    const em = database.orm.em.fork();
    const user = await em.findOneOrFail(User, { id: this.userId });
    const ledgerSum = (await em.find(LedgerEntry, { userId: this.userId })).reduce((sum, entry) => sum + entry.amount, 0);
    const sqlPlan = await planAllowanceOf(em, this.userId);
    const redisWallet = await redisNumber(redisKeys.wallet(this.userId));
    const redisPlan = await redisNumber(redisKeys.planAllowance(this.userId));
    const open = await openParts(this.userId, this.open);
    const pendingWallet = this.pending.reduce((sum, item) => sum + item.walletCost, 0);
    const pendingPlan = this.pending.reduce((sum, item) => sum + item.planCost, 0);
    const state = { step, sqlBalance: user.balance, ledgerSum, redisWallet, open, pendingWallet, sqlPlan, redisPlan, pendingPlan };
    const fail = (what: string) => {
      throw new Error(`${what}: ${JSON.stringify(state)}`);
    };
    if (redisWallet < 0) fail('Redis wallet went negative');
    if (redisPlan < 0) fail('Redis plan allowance went negative');
    if (user.balance !== ledgerSum) fail('SQL balance != ledger sum');
    if (redisWallet + open.wallet + pendingWallet !== user.balance) fail('Redis wallet + open + unbilled != SQL balance');
    if (redisPlan + open.plan + pendingPlan !== sqlPlan) fail('Redis plan + open + unbilled != SQL plan allowance');
  }
}

test('money invariants hold after every step of random interleavings', async () => {
  const seed = Number(process.env.MONEY_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const path = process.env.MONEY_PROPERTY_PATH;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArbitrary, { minLength: 1, maxLength: 30 }), async (actions) => {
        const run = await Run.start();
        await run.checkInvariants('start');
        for (const [index, action] of actions.entries()) {
          await run.apply(action);
          await run.checkInvariants(`${index}:${action.kind}`);
        }
        await run.drain();
        await run.checkInvariants('drained');
        // Every earlier run drained too, so the reconcile job must find the whole database in agreement.
        const reconciled = await reconcileMoney({ orm: database.orm, redis, pendingUsageJobs: async () => 0, log: () => undefined });
        if (reconciled.outcome !== 'checked' || reconciled.drifts.length > 0) throw new Error(`reconcile found drift: ${JSON.stringify(reconciled)}`);
      }),
      { seed, path, numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  } catch (error) {
    // The seed goes first so a red CI log is replayable at a glance.
    process.stderr.write(`money property failed: replay with MONEY_PROPERTY_SEED=${seed}\n`);
    throw error;
  }
}, 300_000);
