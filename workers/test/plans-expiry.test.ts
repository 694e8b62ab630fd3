// Plans that end (an admin's end date, a plan voucher for N periods): periods granted up to the end and none after,
// a "plan ending soon" notice PLAN_EXPIRY_NOTICE_DAYS before, and at the end the allowance left expires through the
// ledger (SQL and Redis once), the plan stops paying and one "plan ended" notice goes out, however often the job
// runs or crashes part-way. On a controllable clock.
import { Queue } from 'bullmq';
import { addPeriods, endPlanSubscription, periodStartAfter, PlanPosting, PlanRedis, PlanSubscription, planAllowanceOf, type Plan } from '@nebulagate/control-plane';
import { QUEUES, redisKeys, type NotificationJob } from '@nebulagate/schema';
import { resetPlans } from '../src';
import { expirePlans, readPlanExpiryNoticeDays } from '../src/jobs/plan-expiry.job';
import { PLAN_EXPIRY_EVERY_MS, schedulePlanExpiry } from '../src/schedulers';
import { createUser, reconcile, redisNumber, spend, sqlBalance, startMoneyFixture, SYSTEM_ACTOR, type MoneyFixture } from './money-fixture';

let fixture: MoneyFixture;
const notices: NotificationJob[] = [];
let failNextNotice = false;

beforeAll(async () => {
  fixture = await startMoneyFixture();
});
afterAll(async () => {
  await fixture.close();
});
beforeEach(() => {
  notices.length = 0;
});

async function notify(notification: NotificationJob): Promise<void> {
  if (failNextNotice) {
    failNextNotice = false;
    throw new Error('redis went away');
  }
  notices.push(notification);
}

function expire(at: string) {
  return expirePlans({ orm: fixture.database.orm, redis: fixture.redis, noticeDays: 3, now: () => new Date(at), notify });
}

function reset(period: 'day' | 'week' | 'month', at: string) {
  return resetPlans({ period }, { orm: fixture.database.orm, redis: fixture.redis, now: () => new Date(at) });
}

async function createPlan(name: string, allowance: number, rolloverCap: number | null = null): Promise<Plan> {
  return fixture.plans.createPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { name, period: 'month', allowance, rolloverCap });
}

async function allowances(userId: string): Promise<{ sql: number; redis: number | null }> {
  return { sql: await planAllowanceOf(fixture.database.orm.em.fork(), userId), redis: await redisNumber(fixture, redisKeys.planAllowance(userId)) };
}

function subscriptionOf(userId: string): Promise<PlanSubscription | null> {
  return fixture.database.orm.em.fork().findOne(PlanSubscription, { userId });
}

/** A plan voucher redemption's grant, as the voucher service runs it: inside a transaction, Redis after the commit. */
async function redeemPlanVoucher(userId: string, planId: string, periods: number | null, voucherId: string): Promise<void> {
  const afterCommit = await fixture.database.orm.em.fork().transactional((transaction) =>
    fixture.plans.grantFromVoucher(transaction, { userId, planId, periods, idempotencyKey: `voucher:${voucherId}:${userId}`, actorId: userId }),
  );
  if (afterCommit) await afterCommit();
}

test.each([
  ['month', '2026-11-20T12:00:00Z', 1, '2026-12-01T00:00:00.000Z'],
  ['month', '2026-11-20T12:00:00Z', 3, '2027-02-01T00:00:00.000Z'],
  ['day', '2026-11-20T12:00:00Z', 2, '2026-11-22T00:00:00.000Z'],
  ['week', '2026-11-20T12:00:00Z', 1, '2026-11-23T00:00:00.000Z'],
  ['week', '2026-11-23T00:00:00Z', 1, '2026-11-30T00:00:00.000Z'],
] as const)('periodStartAfter(%s, %s, %d) = %s', (period, now, count, expected) => {
  expect(periodStartAfter(period, new Date(now), count).toISOString()).toBe(expected);
});

test.each([
  ['month', '2026-12-01T00:00:00Z', 1, '2027-01-01T00:00:00.000Z'],
  ['month', '2026-12-15T08:30:00Z', 2, '2027-02-15T08:30:00.000Z'],
  ['week', '2026-12-15T08:30:00Z', 1, '2026-12-22T08:30:00.000Z'],
  ['day', '2026-12-31T00:00:00Z', 1, '2027-01-01T00:00:00.000Z'],
] as const)('addPeriods(%s, %s, %d) = %s', (period, date, count, expected) => {
  expect(addPeriods(period, new Date(date), count).toISOString()).toBe(expected);
});

test('PLAN_EXPIRY_NOTICE_DAYS: 3 by default, 0 turns the notice off, nonsense stops start-up', () => {
  expect(readPlanExpiryNoticeDays({})).toBe(3);
  expect(readPlanExpiryNoticeDays({ PLAN_EXPIRY_NOTICE_DAYS: '0' })).toBe(0);
  expect(readPlanExpiryNoticeDays({ PLAN_EXPIRY_NOTICE_DAYS: '7' })).toBe(7);
  expect(() => readPlanExpiryNoticeDays({ PLAN_EXPIRY_NOTICE_DAYS: '1.5' })).toThrow(/PLAN_EXPIRY_NOTICE_DAYS/);
  expect(() => readPlanExpiryNoticeDays({ PLAN_EXPIRY_NOTICE_DAYS: '-1' })).toThrow(/PLAN_EXPIRY_NOTICE_DAYS/);
});

test('the expiry job runs as a job scheduler every minute', async () => {
  const queue = new Queue(`${QUEUES.money}-scheduler-check`, { connection: { url: fixture.redisServer.url, maxRetriesPerRequest: null } });
  try {
    await schedulePlanExpiry(queue);
    await schedulePlanExpiry(queue);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'plan-expiry', every: PLAN_EXPIRY_EVERY_MS, name: 'expire-plans' });
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

test('an end date must be in the future and needs a plan', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('end-checks', 1_000);
  const userId = await createUser(fixture, 0);
  const em = () => fixture.database.orm.em.fork();
  await expect(fixture.plans.assignPlan(em(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-11-20T11:59:59Z') })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  await expect(fixture.plans.assignPlan(em(), SYSTEM_ACTOR, { userId, planId: null, endsAt: new Date('2026-12-20T00:00:00Z') })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
});

test('a plan with an end date: periods until then, one notice 3 days before, then the allowance left expires once and the wallet pays', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('ends-mid-december', 1_000, 300);
  const userId = await createUser(fixture, 5_000);
  const endsAt = new Date('2026-12-10T00:00:00Z');
  const assigned = await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt });
  expect(assigned?.endsAt?.toISOString()).toBe(endsAt.toISOString());
  await spend(fixture, userId, `ends-${Date.now()}`, 150, 100);
  expect(await allowances(userId)).toEqual({ sql: 900, redis: 900 });

  expect(await expire('2026-11-20T12:00:00Z')).toEqual({ ended: 0, noticed: 0 });
  // The December period still starts (the plan runs until the 10th): rollover 300 + 1,000.
  expect(await reset('month', '2026-12-01T00:00:00Z')).toMatchObject({ reset: 1 });
  expect(await allowances(userId)).toEqual({ sql: 1_300, redis: 1_300 });
  expect(await expire('2026-12-06T23:59:59Z')).toEqual({ ended: 0, noticed: 0 });

  // Three days before the end: one notice, however often the job ticks.
  expect(await expire('2026-12-07T00:00:00Z')).toEqual({ ended: 0, noticed: 1 });
  expect(await expire('2026-12-07T00:01:00Z')).toEqual({ ended: 0, noticed: 0 });
  expect(await expire('2026-12-09T23:59:59Z')).toEqual({ ended: 0, noticed: 0 });
  const subscriptionId = (await subscriptionOf(userId))?.id ?? '';
  expect(notices).toEqual([{
    id: `plan-expiring-${subscriptionId}-${endsAt.getTime()}`, kind: 'plan.expiring', userId, at: '2026-12-07T00:00:00.000Z',
    details: { planId: plan.id, planName: 'ends-mid-december', endsAt: endsAt.toISOString() },
  }]);
  expect(await allowances(userId)).toEqual({ sql: 1_300, redis: 1_300 });

  // The end: everything left expires (no rollover at an end), the plan pays for nothing, one notice.
  expect(await expire('2026-12-10T00:00:00Z')).toEqual({ ended: 1, noticed: 0 });
  expect(await expire('2026-12-10T00:01:00Z')).toEqual({ ended: 0, noticed: 0 });
  expect(notices.slice(1)).toEqual([{
    id: `plan-expired-${subscriptionId}-${endsAt.getTime()}`, kind: 'plan.expired', userId, at: '2026-12-10T00:00:00.000Z',
    details: { planId: plan.id, planName: 'ends-mid-december', endsAt: endsAt.toISOString(), expired: 1_300 },
  }]);
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(await fixture.redis.smembers(redisKeys.planScope(userId))).toEqual([]);
  expect(await subscriptionOf(userId)).toBeNull();
  // (The December reset expired 600 beyond the rollover cap; the end expires the rest.)
  const expiries = await fixture.database.orm.em.fork().find(PlanPosting, { userId, kind: 'plan_expiry' });
  expect(expiries.map((posting) => posting.amount).sort((left, right) => left - right)).toEqual([-1_300, -600]);

  // No more periods: January grants nothing; requests are paid from the wallet.
  expect(await reset('month', '2027-01-01T00:00:00Z')).toMatchObject({ reset: 0 });
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  const walletBefore = await sqlBalance(fixture, userId);
  await spend(fixture, userId, `after-end-${Date.now()}`, 300, 200);
  expect(await sqlBalance(fixture, userId)).toBe(walletBefore - 200);
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('a plan voucher for N periods grants N periods; the reset at the end grants nothing; redeeming again renews', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('voucher-monthly', 2_000);
  const userId = await createUser(fixture, 1_000);
  await redeemPlanVoucher(userId, plan.id, 1, 'one-month');
  expect((await subscriptionOf(userId))?.endsAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  expect(await allowances(userId)).toEqual({ sql: 2_000, redis: 2_000 });

  // Renewed before it ends: the end moves one month, nothing is granted twice for November.
  fixture.clock.now = new Date('2026-11-25T09:00:00Z');
  await redeemPlanVoucher(userId, plan.id, 1, 'renewal');
  expect((await subscriptionOf(userId))?.endsAt?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  expect(await allowances(userId)).toEqual({ sql: 2_000, redis: 2_000 });

  expect(await reset('month', '2026-12-01T00:00:00Z')).toMatchObject({ reset: 1 });
  expect(await expire('2026-12-01T00:00:30Z')).toEqual({ ended: 0, noticed: 0 });
  expect(await allowances(userId)).toEqual({ sql: 2_000, redis: 2_000 });
  // Ending at a period boundary: the reset that fires first must not grant January.
  expect(await reset('month', '2027-01-01T00:00:00Z')).toMatchObject({ reset: 0, skipped: 1 });
  expect(await allowances(userId)).toEqual({ sql: 2_000, redis: 2_000 });
  expect(await expire('2027-01-01T00:00:40Z')).toMatchObject({ ended: 1 });
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(notices.map((notice) => notice.kind)).toEqual(['plan.expired']);
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('a plan voucher cannot shorten the same plan held without an end date: refused, the subscription unchanged', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('unlimited-monthly', 1_500);
  const userId = await createUser(fixture, 0);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id });
  await expect(redeemPlanVoucher(userId, plan.id, 2, 'on-unlimited')).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  expect((await subscriptionOf(userId))?.endsAt).toBeNull();
  expect(await allowances(userId)).toEqual({ sql: 1_500, redis: 1_500 });
  // Later tests count the subscriptions a reset touches.
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: null });
});

test('renewals read the end date they extend: each of several renewals moves it one period further', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('renewed-thrice', 1_000);
  const userId = await createUser(fixture, 0);
  await redeemPlanVoucher(userId, plan.id, 1, 'first');
  await Promise.all(['second', 'third', 'fourth'].map((voucher) => redeemPlanVoucher(userId, plan.id, 1, voucher)));
  expect((await subscriptionOf(userId))?.endsAt?.toISOString()).toBe('2027-03-01T00:00:00.000Z');
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: null });
});

test('an assignment that lands while a plan is being ended wins: the expiry leaves the new subscription and its allowance alone', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('race-end', 1_000);
  const userId = await createUser(fixture, 0);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-11-21T00:00:00Z') });
  const ending = await subscriptionOf(userId);
  // The admin assigns the plan again, with a later end, just after the expiry run read the ended subscription.
  class RacingPlanRedis extends PlanRedis {
    private raced = false;
    override async publishScope(user: string, scoped: Parameters<PlanRedis['publishScope']>[1]): Promise<void> {
      if (!this.raced && scoped === null) {
        this.raced = true;
        fixture.clock.now = new Date('2026-11-21T00:00:02Z');
        await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-12-31T00:00:00Z') });
      }
      await super.publishScope(user, scoped);
    }
  }
  const ended = await endPlanSubscription(fixture.database.orm.em.fork(), new RacingPlanRedis(fixture.redis), ending?.id ?? '', new Date('2026-11-21T00:00:05Z'));
  expect(ended).toBeNull();
  expect((await subscriptionOf(userId))?.endsAt?.toISOString()).toBe('2026-12-31T00:00:00.000Z');
  // The assignment expired what was left and granted anew; the expiry did not take the new grant away.
  expect(await allowances(userId)).toEqual({ sql: 1_000, redis: 1_000 });
  // And the plan pays again: its scope is published for the new subscription.
  expect(await fixture.redis.exists(redisKeys.planScope(userId))).toBe(1);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: null });
});

test('a run that fails part-way (the notice could not be queued) is finished by the next: one expiry, Redis moved once', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('crash-at-end', 1_000);
  const userId = await createUser(fixture, 0);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-11-21T00:00:00Z') });
  await spend(fixture, userId, `crash-${Date.now()}`, 400, 400);
  failNextNotice = true;
  // The "ending soon" notice fails first; the run reports it and the next tick sends it.
  await expect(expire('2026-11-20T13:00:00Z')).rejects.toThrow(/plan expiry failed for 1/);
  expect(await expire('2026-11-20T13:01:00Z')).toEqual({ ended: 0, noticed: 1 });

  failNextNotice = true;
  await expect(expire('2026-11-21T00:00:00Z')).rejects.toThrow(/redis went away/);
  // SQL and Redis already moved; the subscription stays until its notice is queued.
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(await subscriptionOf(userId)).not.toBeNull();
  // A reset in the meantime grants nothing for an ended plan.
  expect(await reset('month', '2026-12-01T00:00:00Z')).toMatchObject({ reset: 0 });
  expect(await expire('2026-11-21T00:01:00Z')).toEqual({ ended: 1, noticed: 0 });
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(await subscriptionOf(userId)).toBeNull();
  const expiries = await fixture.database.orm.em.fork().find(PlanPosting, { userId, kind: 'plan_expiry' });
  expect(expiries.map((posting) => posting.amount)).toEqual([-600]);
  expect(notices.map((notice) => notice.kind)).toEqual(['plan.expiring', 'plan.expired']);
  expect(notices[1]?.details.expired).toBe(600);
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('assigning the plan again before the end replaces the end date and gets its own notice', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('reassigned', 1_000);
  const userId = await createUser(fixture, 0);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-11-22T00:00:00Z') });
  expect(await expire('2026-11-20T12:00:00Z')).toEqual({ ended: 0, noticed: 1 });
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id, endsAt: new Date('2026-11-23T00:00:00Z') });
  expect(await expire('2026-11-22T00:00:00Z')).toEqual({ ended: 0, noticed: 1 });
  // Without an end date the plan runs on.
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id });
  expect(await expire('2026-11-23T00:00:00Z')).toEqual({ ended: 0, noticed: 0 });
  expect((await subscriptionOf(userId))?.endsAt).toBeNull();
  expect(notices.map((notice) => notice.details.endsAt)).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
});
