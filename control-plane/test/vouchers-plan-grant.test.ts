// Plan vouchers through the VoucherService with a plan-grant handler registered (the plan module's hook): the grant
// runs inside the redemption transaction exactly once however many redemptions race, its after-commit action runs
// once, and a failing grant rolls the whole redemption back.
import type { EntityManager } from '@mikro-orm/core';
import { openDatabase, User, type Database } from '../src';
import { RedisPublisher } from '../src/snapshot/redis-publisher';
import { VoucherService, type PlanGrantRequest } from '../src/modules/voucher/voucher.service';
import { CRYPTO_SECRET, ROOT_PASSWORD, startHarness, type Harness } from './harness';
import { createUsers, type TestUser } from './money-helpers';

let harness: Harness;
let database: Database;
let service: VoucherService;
let users: TestUser[];
let planId: string;
const grants: PlanGrantRequest[] = [];
const afterCommits: string[] = [];
let failNextGrant = false;

async function actorOf(user: TestUser) {
  return { user: await database.orm.em.fork().findOneOrFail(User, { id: user.id }), ip: '127.0.0.1' };
}

async function errorCodeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
    return undefined;
  } catch (error) {
    const extensions = (error as { extensions?: { code?: string } }).extensions;
    return extensions?.code ?? 'unexpected';
  }
}

beforeAll(async () => {
  harness = await startHarness();
  const rootSession = await harness.login('root', ROOT_PASSWORD);
  users = await createUsers(harness, rootSession, 'plan-voucher-', 2);
  const plan = await harness.graphql<{ createPlan: { id: string } }>('mutation { createPlan(input: {name: "Pro", allowance: 5000000, period: "month"}) { id } }', {}, rootSession);
  planId = plan.data?.createPlan.id ?? '';
  if (planId === '') throw new Error(`createPlan failed: ${JSON.stringify(plan.errors)}`);
  database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  service = new VoucherService(new RedisPublisher(harness.redis, database.orm, () => undefined), CRYPTO_SECRET);
  service.setPlanGrantHandler(async (transaction: EntityManager, request) => {
    // Proves the handler runs inside the redemption's transaction (it sees the uncommitted redemption row).
    const seen = await transaction.getConnection().execute<Array<{ count: number | string }>>(
      'select count(*) as "count" from "voucher_redemptions" where "user_id" = ?', [request.userId], 'all', transaction.getTransactionContext(),
    );
    if (failNextGrant) {
      failNextGrant = false;
      throw new Error('plan store unavailable');
    }
    grants.push({ ...request, periods: Number(seen[0]?.count ?? 0) > 0 ? request.periods : -1 });
    return async () => {
      afterCommits.push(request.idempotencyKey);
    };
  });
});

afterAll(async () => {
  await database?.close();
  await harness?.stop();
});

describe('plan vouchers', () => {
  it('refuses an unknown plan and mixing credits with a plan', async () => {
    const root = { user: await database.orm.em.fork().findOneOrFail(User, { username: 'root' }), ip: null };
    expect(await errorCodeOf(service.createVouchers(database.orm.em.fork(), root, { count: 1, planId: 'no-such-plan' }))).toBe('NOT_FOUND');
    expect(await errorCodeOf(service.createVouchers(database.orm.em.fork(), root, { count: 1, planId, amount: 5 }))).toBe('BAD_USER_INPUT');
  });

  it('grants once inside the transaction when 20 redemptions by one user race, then runs the after-commit action once', async () => {
    const root = { user: await database.orm.em.fork().findOneOrFail(User, { username: 'root' }), ip: null };
    const created = await service.createVouchers(database.orm.em.fork(), root, { giftCode: 'PROMONTH', planId, planPeriods: 1 });
    expect(created.vouchers[0]).toMatchObject({ kind: 'plan', planId, planPeriods: 1, amount: 0 });
    const redeemer = users[0] as TestUser;
    const actor = await actorOf(redeemer);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => service.redeemVoucher(database.orm.em.fork(), actor, { code: 'promonth' }).then(() => 'ok', (error: { extensions?: { code?: string } }) => error.extensions?.code)));
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'CONFLICT')).toHaveLength(19);
    expect(grants).toEqual([{ userId: redeemer.id, planId, periods: 1, idempotencyKey: `voucher:${created.vouchers[0]?.id}:${redeemer.id}`, actorId: redeemer.id }]);
    expect(afterCommits).toEqual([`voucher:${created.vouchers[0]?.id}:${redeemer.id}`]);
  });

  it('rolls the redemption back when the grant fails, so the user can try again', async () => {
    const redeemer = users[1] as TestUser;
    const actor = await actorOf(redeemer);
    failNextGrant = true;
    await expect(service.redeemVoucher(database.orm.em.fork(), actor, { code: 'PROMONTH' })).rejects.toThrow('plan store unavailable');
    const voucher = await service.listVouchers(database.orm.em.fork(), 10, null, null);
    expect(voucher.edges[0]?.node.redemptionCount).toBe(1);
    const retried = await service.redeemVoucher(database.orm.em.fork(), actor, { code: 'PROMONTH' });
    expect(retried.entry).toBeNull();
    expect(retried.voucher.redemptionCount).toBe(2);
    expect(grants.map((grant) => grant.userId)).toEqual([users[0]?.id, redeemer.id]);
  });
});
