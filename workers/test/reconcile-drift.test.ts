// Reconciliation: once the usage queue has drained, Redis spendable (+ open reservations) equals the SQL balance and
// the plan allowance; drift is reported, never fixed behind the ledger's back. Also: a usage job run twice posts once.
import { LedgerEntry, PlanPosting } from '@nebulagate/control-plane';
import { redisKeys } from '@nebulagate/schema';
import { billUsage, driftOf } from '../src';
import { createUser, reconcile, redisNumber, spend, sqlBalance, startMoneyFixture, usageEvent, type MoneyFixture } from './money-fixture';

let fixture: MoneyFixture;
beforeAll(async () => {
  fixture = await startMoneyFixture();
});
afterAll(async () => {
  await fixture.close();
});

test.each([
  ['agreeing', 100, 100, 0, null],
  ['open reservation', 100, 60, 40, null],
  ['redis ahead', 100, 107, 0, 7],
  ['redis missing with SQL money', 100, null, 0, -100],
  ['redis missing and SQL zero', 0, null, 0, null],
] as const)('driftOf: %s', (_name, sql, redis, reserved, expected) => {
  const drift = driftOf('user-1', 'wallet', sql, redis, reserved);
  expect(drift === null ? null : drift.drift).toBe(expected);
});

test('no drift after spends (plan and wallet) are billed, and none with a reservation still open', async () => {
  const userId = await createUser(fixture, 5_000);
  await fixture.redis.set(redisKeys.planAllowance(userId), 0);
  await spend(fixture, userId, `reconcile-a-${Date.now()}`, 300, 250);
  await fixture.wallet.reserve({ requestId: `reconcile-open-${Date.now()}`, userId, tokenId: 'token-none', amount: 400, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  const result = await reconcile(fixture);
  expect(result).toMatchObject({ outcome: 'checked', drifts: [] });
  expect(await sqlBalance(fixture, userId)).toBe(4_750);
});

test('drift is reported with its size and left in place', async () => {
  const userId = await createUser(fixture, 1_000);
  await fixture.redis.incrby(redisKeys.wallet(userId), 7);
  await fixture.redis.set(redisKeys.planAllowance(userId), 50);
  const result = await reconcile(fixture);
  if (result.outcome !== 'checked') throw new Error('expected a check');
  const mine = result.drifts.filter((drift) => drift.userId === userId);
  expect(mine).toEqual([
    { userId, kind: 'wallet', sql: 1_000, redis: 1_007, reserved: 0, drift: 7 },
    { userId, kind: 'plan', sql: 0, redis: 50, reserved: 0, drift: 50 },
  ]);
  expect(await redisNumber(fixture, redisKeys.wallet(userId))).toBe(1_007);
  expect(await sqlBalance(fixture, userId)).toBe(1_000);
  // Put it back so later checks in this file start clean.
  await fixture.redis.incrby(redisKeys.wallet(userId), -7);
  await fixture.redis.del(redisKeys.planAllowance(userId));
});

test('reconciliation waits for the usage queue to drain', async () => {
  await expect(reconcile(fixture, 3)).resolves.toEqual({ outcome: 'not-drained', pendingUsageJobs: 3 });
});

test('a usage job run twice (a worker crash and retry) posts once: wallet, plan and token quota', async () => {
  const userId = await createUser(fixture, 2_000);
  const requestId = `twice-${Date.now()}`;
  const event = usageEvent(requestId, userId, 'token-x', 300, 120, 400);
  const [first, second] = await Promise.all([billUsage(event, { orm: fixture.database.orm }), billUsage(event, { orm: fixture.database.orm })]);
  expect([first.outcome, second.outcome].sort()).toEqual(['already-billed', 'billed']);
  await expect(billUsage(event, { orm: fixture.database.orm })).resolves.toMatchObject({ outcome: 'already-billed' });
  const em = fixture.database.orm.em.fork();
  expect(await em.find(LedgerEntry, { idempotencyKey: `${requestId}:usage` })).toHaveLength(1);
  expect((await em.find(PlanPosting, { idempotencyKey: `${requestId}:plan-usage` })).map((posting) => posting.amount)).toEqual([-120]);
  expect(await sqlBalance(fixture, userId)).toBe(2_000 - 180);
});
