// Plans: period keys and rollover as tables; assignment, and the period reset at a boundary on a controllable clock:
// restores the allowance once (reruns, concurrent runs, a crash between SQL and Redis), rollover within its cap.
import { Plan, PlanPosting, PlanSubscription, User, periodKeyOf, nextAllowance, PlanRedis, planAllowanceOf, resetPlanPeriod } from '@nebulagate/control-plane';
import { redisKeys, type NotificationJob } from '@nebulagate/schema';
import { billUsage, resetPlans } from '../src';
import { createUser, reconcile, redisNumber, spend, startMoneyFixture, SYSTEM_ACTOR, usageEvent, type MoneyFixture } from './money-fixture';

let fixture: MoneyFixture;
beforeAll(async () => {
  fixture = await startMoneyFixture();
});
afterAll(async () => {
  await fixture.close();
});

test.each([
  ['day', '2026-11-23T00:00:00Z', 'd-2026-11-23'],
  ['day', '2026-11-23T23:59:59Z', 'd-2026-11-23'],
  ['week', '2026-11-23T00:00:00Z', 'w-2026-11-23'],
  ['week', '2026-11-29T23:59:59Z', 'w-2026-11-23'],
  ['week', '2026-11-30T00:00:00Z', 'w-2026-11-30'],
  ['week', '2027-01-01T10:00:00Z', 'w-2026-12-28'],
  ['month', '2026-11-30T23:59:59Z', 'm-2026-11'],
  ['month', '2026-12-01T00:00:00Z', 'm-2026-12'],
] as const)('periodKeyOf(%s, %s) = %s', (period, at, key) => {
  expect(periodKeyOf(period, new Date(at))).toBe(key);
});

test.each([
  [900, 1000, null, { carried: 0, expired: 900, granted: 1000 }],
  [900, 1000, 300, { carried: 300, expired: 600, granted: 1000 }],
  [200, 1000, 300, { carried: 200, expired: 0, granted: 1000 }],
  [0, 1000, 300, { carried: 0, expired: 0, granted: 1000 }],
  [-5, 1000, 300, { carried: 0, expired: -5, granted: 1000 }],
] as const)('nextAllowance(remaining %d, allowance %d, cap %s)', (remaining, allowance, cap, expected) => {
  expect(nextAllowance(remaining, allowance, cap)).toEqual(expected);
});

async function createPlan(name: string, period: 'day' | 'week' | 'month', allowance: number, rolloverCap: number | null): Promise<Plan> {
  return fixture.plans.createPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { name, period, allowance, rolloverCap });
}

async function subscribe(plan: Plan, balance = 5_000): Promise<string> {
  const userId = await createUser(fixture, balance);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: plan.id });
  return userId;
}

async function allowances(userId: string): Promise<{ sql: number; redis: number | null }> {
  return { sql: await planAllowanceOf(fixture.database.orm.em.fork(), userId), redis: await redisNumber(fixture, redisKeys.planAllowance(userId)) };
}

test('assigning a plan grants this period at once, in SQL and Redis', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('assign-monthly', 'month', 1_000, 300);
  const userId = await subscribe(plan);
  expect(await allowances(userId)).toEqual({ sql: 1_000, redis: 1_000 });
  expect(await fixture.redis.smembers(redisKeys.planScope(userId))).toEqual(expect.arrayContaining(['m:*', 'g:*']));
});

test('a reset inside the same period does nothing; at the boundary it restores once and rollover respects its cap', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('boundary-monthly', 'month', 1_000, 300);
  const light = await subscribe(plan);
  const heavy = await subscribe(plan);
  await spend(fixture, light, `light-${Date.now()}`, 150, 100);
  await spend(fixture, heavy, `heavy-${Date.now()}`, 900, 800);
  expect(await allowances(light)).toEqual({ sql: 900, redis: 900 });
  expect(await allowances(heavy)).toEqual({ sql: 200, redis: 200 });

  const orm = fixture.database.orm;
  const lastSecond = await resetPlans({ period: 'month' }, { orm, redis: fixture.redis, now: () => new Date('2026-11-30T23:59:59Z') });
  expect(lastSecond).toMatchObject({ reset: 0 });
  expect(await allowances(light)).toEqual({ sql: 900, redis: 900 });

  const boundary = () => new Date('2026-12-01T00:00:00Z');
  // Three ticks at once (a duplicated scheduler, two workers) and a late rerun: one reset per user.
  await Promise.all([1, 2, 3].map(() => resetPlans({ period: 'month' }, { orm, redis: fixture.redis, now: boundary })));
  const rerun = await resetPlans({ period: 'month' }, { orm, redis: fixture.redis, now: () => new Date('2026-12-15T08:00:00Z') });
  expect(rerun.reset).toBe(0);
  // light had 900 left: 300 (the cap) rolls over; heavy had 200: all of it rolls over.
  expect(await allowances(light)).toEqual({ sql: 1_300, redis: 1_300 });
  expect(await allowances(heavy)).toEqual({ sql: 1_200, redis: 1_200 });
  const postings = await orm.em.fork().find(PlanPosting, { userId: light, periodKey: 'm-2026-12' });
  expect(postings.map((posting) => [posting.kind, posting.amount]).sort()).toEqual([['plan_expiry', -600], ['plan_reset', 1_000]]);
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('a plan without rollover starts each period at exactly its allowance; only its own period resets', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const daily = await createPlan('daily-no-rollover', 'day', 500, null);
  const monthly = await createPlan('monthly-untouched', 'month', 700, null);
  const dailyUser = await subscribe(daily);
  const monthlyUser = await subscribe(monthly);
  await spend(fixture, dailyUser, `daily-${Date.now()}`, 100, 100);
  const result = await resetPlans({ period: 'day' }, { orm: fixture.database.orm, redis: fixture.redis, now: () => new Date('2026-11-21T00:00:00Z') });
  expect(result.reset).toBeGreaterThanOrEqual(1);
  expect(await allowances(dailyUser)).toEqual({ sql: 500, redis: 500 });
  expect(await allowances(monthlyUser)).toEqual({ sql: 700, redis: 700 });
});

test('a crash after the SQL commit and before Redis: the retry moves Redis exactly once', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('crashy-weekly', 'week', 400, 100);
  const userId = await subscribe(plan);
  await spend(fixture, userId, `crashy-${Date.now()}`, 50, 50);
  class CrashingPlanRedis extends PlanRedis {
    override async applyOnce(): Promise<boolean> {
      throw new Error('worker killed');
    }
  }
  const nextWeek = new Date('2026-11-23T00:00:01Z');
  await expect(resetPlanPeriod(fixture.database.orm.em.fork(), new CrashingPlanRedis(fixture.redis), userId, nextWeek)).rejects.toThrow('worker killed');
  expect(await allowances(userId)).toEqual({ sql: 500, redis: 350 });
  const retried = await resetPlanPeriod(fixture.database.orm.em.fork(), fixture.planRedis, userId, nextWeek);
  expect(retried.outcome).toBe('already-reset');
  await resetPlanPeriod(fixture.database.orm.em.fork(), fixture.planRedis, userId, nextWeek);
  expect(await allowances(userId)).toEqual({ sql: 500, redis: 500 });
});

test('removing a plan expires what is left and stops plan spend', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('removed-plan', 'month', 300, null);
  const userId = await subscribe(plan);
  await fixture.plans.assignPlan(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { userId, planId: null });
  expect(await allowances(userId)).toEqual({ sql: 0, redis: 0 });
  expect(await fixture.redis.exists(redisKeys.planScope(userId))).toBe(0);
});

test('a plan assigned to a group reaches every current member and nobody else', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('team-weekly', 'week', 250, null);
  const members = [await createUser(fixture, 100), await createUser(fixture, 100)];
  const outsider = await createUser(fixture, 100);
  const em = fixture.database.orm.em.fork();
  for (const userId of members) em.getReference(User, userId).group = 'team-a';
  await em.flush();
  const count = await fixture.plans.assignPlanToGroup(fixture.database.orm.em.fork(), SYSTEM_ACTOR, { group: 'team-a', planId: plan.id });
  expect(count).toBe(2);
  for (const userId of members) expect(await allowances(userId)).toEqual({ sql: 250, redis: 250 });
  expect(await allowances(outsider)).toEqual({ sql: 0, redis: null });
  expect(await fixture.database.orm.em.fork().count(PlanSubscription, { userId: outsider })).toBe(0);
});

test('spend the workers have not booked yet at the boundary is not expired twice: the new period still starts full', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('lagging-monthly', 'month', 1_000, null);
  const userId = await subscribe(plan);
  // 800 spent from the plan in Redis; its usage job is still queued when the period ends.
  const requestId = `lagging-${Date.now()}`;
  await fixture.wallet.reserve({ requestId, userId, tokenId: 'token-none', amount: 800, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  const settled = await fixture.wallet.settle(requestId, userId, 'token-none', 800, JSON.stringify(usageEvent(requestId, userId, 'token-none', 0, 0, 0)));
  expect(settled.planCost).toBe(800);
  expect(await allowances(userId)).toEqual({ sql: 1_000, redis: 200 });

  await resetPlans({ period: 'month' }, { orm: fixture.database.orm, redis: fixture.redis, now: () => new Date('2026-12-01T00:00:00Z') });
  // Now the queued usage is booked.
  await billUsage(
    { requestId, userId, tokenId: 'token-none', channelId: 'c', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', endpoint: '/v1/chat/completions', stream: false,
      status: 'success', httpStatus: 200, promptTokens: 1, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false, cost: 800, planCost: 800,
      reserved: 800, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: 1, clientIp: null, errorCode: null },
    { orm: fixture.database.orm },
  );
  expect(await allowances(userId)).toEqual({ sql: 1_000, redis: 1_000 });
  expect(await reconcile(fixture)).toMatchObject({ outcome: 'checked', drifts: [] });
});

test('each user whose new period started gets one plan.reset notification', async () => {
  fixture.clock.now = new Date('2026-11-20T12:00:00Z');
  const plan = await createPlan('notified-daily', 'day', 400, null);
  const userId = await subscribe(plan);
  const sent: NotificationJob[] = [];
  const notify = async (notification: NotificationJob) => {
    sent.push(notification);
  };
  const dependencies = { orm: fixture.database.orm, redis: fixture.redis, now: () => new Date('2026-11-21T00:00:05Z'), notify };
  await resetPlans({ period: 'day' }, dependencies);
  await resetPlans({ period: 'day' }, dependencies);
  expect(sent.filter((notification) => notification.userId === userId)).toEqual([
    expect.objectContaining({ id: `plan-reset-${userId}-${periodKeyOf('day', new Date('2026-11-21T00:00:05Z'))}`, kind: 'plan.reset', details: expect.objectContaining({ granted: 400 }) }),
  ]);
});
