// A plan voucher redeemed through GraphQL with the real plan module: the user gets the plan and this period's
// allowance in SQL and in Redis, exactly once however often the code is sent.
import { redisKeys } from '@nebulagate/schema';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
});

afterAll(async () => {
  await harness.stop();
});

test('redeeming a plan voucher assigns the plan once and grants its allowance in Redis', async () => {
  const created = await harness.graphql<{ createUser: { user: { id: string } } }>(
    'mutation { createUser(input: {username: "planner", password: "planner-password"}) { user { id } } }',
    {},
    rootSession,
  );
  const userId = created.data?.createUser.user.id ?? '';
  const session = await harness.login('planner', 'planner-password');
  const plan = await harness.graphql<{ createPlan: { id: string } }>('mutation { createPlan(input: {name: "Starter", allowance: 2500000, period: "month"}) { id } }', {}, rootSession);
  const planId = plan.data?.createPlan.id ?? '';
  const vouchers = await harness.graphql<{ createVouchers: { codes: string[] } }>(
    'mutation ($input: CreateVouchersInput!) { createVouchers(input: $input) { codes } }',
    { input: { planId, count: 1 } },
    rootSession,
  );
  expect(vouchers.errors).toBeUndefined();
  const code = vouchers.data?.createVouchers.codes[0] ?? '';

  const REDEEM = 'mutation ($input: RedeemVoucherInput!) { redeemVoucher(input: $input) { voucher { id } } }';
  const results = await Promise.all(Array.from({ length: 5 }, () => harness.graphql(REDEEM, { input: { code } }, session)));
  expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
  expect(results.filter((result) => errorCode(result) === 'CONFLICT')).toHaveLength(4);

  const subscriptions = await harness.graphql<{ planSubscriptions: Array<{ planId: string }> }>('{ planSubscriptions { planId } }', {}, session);
  expect(subscriptions.data?.planSubscriptions).toEqual([{ planId }]);
  expect(Number(await harness.redis.get(redisKeys.planAllowance(userId)))).toBe(2_500_000);
});
