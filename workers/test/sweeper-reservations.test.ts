// The reservation sweeper: an expired reservation (its request never settled) goes back to plan, wallet and token
// quota with a zero-cost usage record; it is idempotent and safe beside a late settle in either order.
import { PlanPosting, UsageLog } from '@nebulagate/control-plane';
import { redisKeys } from '@nebulagate/schema';
import { RESERVATION_LIFETIME_MS } from '../../data-plane/src/billing/wallet.service';
import { billUsage, sweepReservations } from '../src';
import { createUser, reconcile, redisNumber, sqlBalance, startMoneyFixture, usageEvent, type MoneyFixture } from './money-fixture';

let fixture: MoneyFixture;
beforeAll(async () => {
  fixture = await startMoneyFixture();
});
afterAll(async () => {
  await fixture.close();
});

const later = () => Date.now() + RESERVATION_LIFETIME_MS + 1_000;
let counter = 0;
function requestId(): string {
  counter += 1;
  return `sweep-${counter}-${Date.now()}`;
}

async function reserveAll(userId: string, tokenId: string, id: string, amount: number): Promise<void> {
  await fixture.wallet.reserve({ requestId: id, userId, tokenId, amount, model: 'gpt-4o-mini', group: 'default', quotaLimited: true });
}

async function setUp(balance: number, plan: number, quota: number): Promise<{ userId: string; tokenId: string }> {
  const userId = await createUser(fixture, balance);
  const tokenId = `token-${userId}`;
  // The plan allowance is booked in SQL as well, so reconciliation has something true to compare with.
  const em = fixture.database.orm.em.fork();
  em.create(PlanPosting, { userId, kind: 'plan_adjustment', amount: plan, idempotencyKey: `seed-${userId}`, reason: 'test seed', periodKey: null });
  await em.flush();
  await fixture.redis.set(redisKeys.planAllowance(userId), plan);
  await fixture.redis.sadd(redisKeys.planScope(userId), 'm:*', 'g:*', 'x:active');
  await fixture.redis.set(redisKeys.tokenQuota(tokenId), quota);
  return { userId, tokenId };
}

async function balances(userId: string, tokenId: string) {
  return {
    wallet: await redisNumber(fixture, redisKeys.wallet(userId)),
    plan: await redisNumber(fixture, redisKeys.planAllowance(userId)),
    quota: await redisNumber(fixture, redisKeys.tokenQuota(tokenId)),
  };
}

test('an expired reservation is refunded to where it came from, recorded once, and a second sweep does nothing', async () => {
  const { userId, tokenId } = await setUp(1_000, 30, 500);
  const id = requestId();
  await reserveAll(userId, tokenId, id, 100);
  expect(await balances(userId, tokenId)).toEqual({ wallet: 930, plan: 0, quota: 400 });
  // Not expired yet: left alone.
  expect(await sweepReservations({ orm: fixture.database.orm, redis: fixture.redis })).toEqual({ swept: 0, refunded: 0 });
  expect(await sweepReservations({ orm: fixture.database.orm, redis: fixture.redis, now: later })).toEqual({ swept: 1, refunded: 100 });
  expect(await balances(userId, tokenId)).toEqual({ wallet: 1_000, plan: 30, quota: 500 });
  const logs = await fixture.database.orm.em.fork().find(UsageLog, { requestId: id });
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatchObject({ cost: 0, reserved: 100, errorCode: 'reservation_expired' });
  expect(await sweepReservations({ orm: fixture.database.orm, redis: fixture.redis, now: later })).toEqual({ swept: 0, refunded: 0 });
  expect(await balances(userId, tokenId)).toEqual({ wallet: 1_000, plan: 30, quota: 500 });
  expect(await sqlBalance(fixture, userId)).toBe(1_000);
});

test('a settle after the sweep moves nothing, and its late usage event bills nothing', async () => {
  const { userId, tokenId } = await setUp(1_000, 0, 500);
  const id = requestId();
  await reserveAll(userId, tokenId, id, 100);
  await sweepReservations({ orm: fixture.database.orm, redis: fixture.redis, now: later });
  const settled = await fixture.wallet.settle(id, userId, tokenId, 80, JSON.stringify(usageEvent(id, userId, tokenId, 0, 0, 0)));
  expect(settled).toEqual({ settled: false, planCost: 0, walletCost: 0, uncovered: 0 });
  // The data plane emits its event with what settle took (nothing); the sweeper's record already holds the id.
  await expect(billUsage(usageEvent(id, userId, tokenId, 0, 0, 100), { orm: fixture.database.orm })).resolves.toMatchObject({ outcome: 'already-billed' });
  expect(await balances(userId, tokenId)).toEqual({ wallet: 1_000, plan: 0, quota: 500 });
  expect(await sqlBalance(fixture, userId)).toBe(1_000);
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('a sweep after the settle finds nothing to do', async () => {
  const { userId, tokenId } = await setUp(1_000, 0, 500);
  const id = requestId();
  await reserveAll(userId, tokenId, id, 100);
  await fixture.wallet.settle(id, userId, tokenId, 60, JSON.stringify(usageEvent(id, userId, tokenId, 0, 0, 0)));
  expect(await sweepReservations({ orm: fixture.database.orm, redis: fixture.redis, now: later })).toEqual({ swept: 0, refunded: 0 });
  expect(await balances(userId, tokenId)).toEqual({ wallet: 940, plan: 0, quota: 440 });
});

test('a settle racing a sweep: exactly one of them resolves the reservation', async () => {
  const { userId, tokenId } = await setUp(10_000, 0, 100_000);
  const ids = Array.from({ length: 20 }, () => requestId());
  for (const id of ids) await reserveAll(userId, tokenId, id, 100);
  const settles = ids.map((id) => fixture.wallet.settle(id, userId, tokenId, 70, JSON.stringify(usageEvent(id, userId, tokenId, 0, 0, 0))));
  const sweep = sweepReservations({ orm: fixture.database.orm, redis: fixture.redis, now: later });
  const [settled, swept] = await Promise.all([Promise.all(settles), sweep]);
  const settledCount = settled.filter((result) => result.settled).length;
  expect(settledCount + swept.swept).toBe(ids.length);
  expect(await redisNumber(fixture, redisKeys.wallet(userId))).toBe(10_000 - 70 * settledCount);
  expect(await fixture.redis.zcard(redisKeys.reservationsByExpiry)).toBe(0);
});
