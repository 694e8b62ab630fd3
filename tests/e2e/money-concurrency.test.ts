// Money under concurrency, end to end: 200 simultaneous chat completions through the data plane against a balance that
// covers 100. At most 100 succeed, the wallet never goes negative, and once the workers drain the usage queue the
// ledger sum == the SQL balance == the Redis wallet. Also plans and token quotas set through GraphQL.
// Real Redis, SQLite or PostgreSQL (TEST_DB), the mock provider as the only stand-in.
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import OpenAI from 'openai';
import { AuditLog, LedgerEntry, openDatabase, User, type Database } from '@nebulagate/control-plane';
import { QUEUES, redisKeys } from '@nebulagate/schema';
import { eventually, type GraphqlClient, type MockProvider } from '@nebulagate/testing';
import { reconcileMoney } from '@nebulagate/workers';
import { startGatewayStack, type GatewayStack } from './gateway-stack';

/** Per call only: the worst case equals the actual cost, so "covers 100" is exact. */
const PER_CALL = 1_000;

let stack: GatewayStack;
let redis: Redis;
let database: Database;
let mock: MockProvider;
let usageQueue: Queue;
let dataPlane: GatewayStack['dataPlane'];
let anonymous: GraphqlClient;
let admin: GraphqlClient;

/** Usage not billed yet: events the forwarder has not moved off the usage stream, and usage jobs not done. */
async function pendingUsageJobs(): Promise<number> {
  const counts = await usageQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return (await redis.xlen(redisKeys.usageStream)) + Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** A new user with `credits` booked through the ledger (adjustBalance), signed in, with one API key. */
async function createCustomer(name: string, credits: number, tokenInput: Record<string, unknown> = {}) {
  const created = await admin.request<{ createUser: { user: { id: string } } }>(
    'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
    { input: { username: name, password: `${name}-Password-123`, role: 'USER' } },
  );
  const userId = created.createUser.user.id;
  if (credits > 0) {
    await admin.request('mutation($input: AdjustBalanceInput!) { adjustBalance(input: $input) { user { balance } } }', {
      input: { userId, amount: credits, reason: 'money test credit', idempotencyKey: `credit-${name}` },
    });
  }
  const login = await anonymous.request<{ login: { sessionToken: string } }>('mutation($input: LoginInput!) { login(input: $input) { sessionToken } }', {
    input: { username: name, password: `${name}-Password-123` },
  });
  const client = anonymous.withSession(login.login.sessionToken);
  const token = await client.request<{ createToken: { key: string; token: { id: string } } }>(
    'mutation($input: CreateTokenInput!) { createToken(input: $input) { key token { id } } }',
    { input: { name: 'money', ...tokenInput } },
  );
  return { userId, client, key: token.createToken.key, tokenId: token.createToken.token.id };
}

async function sqlBooks(userId: string): Promise<{ balance: number; ledgerSum: number }> {
  const em = database.orm.em.fork();
  const user = await em.findOneOrFail(User, { id: userId });
  const entries = await em.find(LedgerEntry, { userId });
  return { balance: user.balance, ledgerSum: entries.reduce((sum, entry) => sum + entry.amount, 0) };
}

beforeAll(async () => {
  stack = await startGatewayStack({ workerConcurrency: 4 });
  ({ redis, mock, dataPlane, anonymous, admin } = stack);
  database = await openDatabase(stack.testDatabase.url);
  usageQueue = new Queue(QUEUES.usage, { connection: { url: stack.redisServer.url, maxRetriesPerRequest: null } });
  await admin.request('mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } } }', {
    input: { name: 'mock', type: 'openai', baseUrl: mock.baseUrl, keys: 'sk-upstream-secret-1', models: ['gpt-4o-mini', 'gpt-4o'] },
  });
  for (const model of ['gpt-4o-mini', 'gpt-4o']) {
    await admin.request('mutation($input: SetModelPriceInput!) { setModelPrice(input: $input) { price { model } } }', {
      input: { model, inputPerMillion: 0, outputPerMillion: 0, perCall: PER_CALL },
    });
  }
  await stack.dataPlaneCaughtUp();
}, 120_000);

afterAll(async () => {
  await usageQueue?.close();
  await database?.close();
  await stack?.close();
});

test('200 concurrent requests against a balance that covers 100: at most 100 succeed and the books agree', async () => {
  const customer = await createCustomer('concurrent', 100 * PER_CALL);
  const openai = new OpenAI({ apiKey: customer.key, baseURL: `${dataPlane.url}/v1`, maxRetries: 0 });
  mock.setDefault({ delayMs: 30, usage: { promptTokens: 5, completionTokens: 5 } });
  let lowest = Number.POSITIVE_INFINITY;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lowest = Math.min(lowest, Number(await redis.get(redisKeys.wallet(customer.userId))));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const outcomes = await Promise.all(
    Array.from({ length: 200 }, (_, index) =>
      openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: `request ${index}` }] }).then(
        () => 'ok' as const,
        (error: unknown) => (error instanceof OpenAI.APIError ? `${error.status}:${String(error.code)}` : 'other'),
      ),
    ),
  );
  sampling = false;
  await sampler;
  mock.reset();
  const succeeded = outcomes.filter((outcome) => outcome === 'ok').length;
  expect(succeeded).toBeLessThanOrEqual(100);
  // Per-call pricing: nothing is refunded, so exactly the 100 the balance covers get through.
  expect(succeeded).toBe(100);
  expect(outcomes.filter((outcome) => outcome !== 'ok').every((outcome) => outcome === '402:insufficient_quota')).toBe(true);
  expect(lowest).toBeGreaterThanOrEqual(0);

  await eventually(async () => ((await pendingUsageJobs()) === 0 ? true : undefined), 30_000);
  await eventually(async () => ((await sqlBooks(customer.userId)).balance === 0 ? true : undefined), 30_000);
  const books = await sqlBooks(customer.userId);
  const wallet = Number(await redis.get(redisKeys.wallet(customer.userId)));
  expect(books).toEqual({ balance: 0, ledgerSum: 0 });
  expect(wallet).toBe(0);
  const reconciled = await reconcileMoney({ orm: database.orm, redis, pendingUsageJobs, log: () => undefined });
  expect(reconciled).toMatchObject({ outcome: 'checked', drifts: [] });

  // The admin query says the same, and names a drift made behind the ledger's back without touching it.
  const query = '{ moneyReconciliation { drained pendingUsageJobs drifts { userId kind sql redis reserved drift } } }';
  expect(await admin.request(query)).toEqual({ moneyReconciliation: { drained: true, pendingUsageJobs: 0, drifts: [] } });
  await redis.incrby(redisKeys.wallet(customer.userId), 5);
  expect(await admin.request(query)).toEqual({
    moneyReconciliation: { drained: true, pendingUsageJobs: 0, drifts: [{ userId: customer.userId, kind: 'wallet', sql: 0, redis: 5, reserved: 0, drift: 5 }] },
  });
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(5);
  await redis.incrby(redisKeys.wallet(customer.userId), -5);
  await expect(customer.client.request(query)).rejects.toThrow();
}, 120_000);

test('plans and token quotas through GraphQL: plan first, wallet for other models, quota refusal moves no money', async () => {
  const plan = await admin.request<{ createPlan: { id: string } }>('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', {
    input: { name: 'mini-monthly', allowance: 3 * PER_CALL, period: 'month', rolloverCap: PER_CALL, models: ['gpt-4o-mini'], price: '$5 / month' },
  });
  const customer = await createCustomer('planned', 10 * PER_CALL, { unlimitedQuota: false, quota: 6 * PER_CALL });
  await admin.request('mutation($input: AssignPlanInput!) { assignPlan(input: $input) { planId periodKey } }', {
    input: { userId: customer.userId, planId: plan.createPlan.id },
  });
  // The customer asks to be told when the balance drops below 6.5 calls' worth.
  await customer.client.request('mutation($input: SetLowBalanceAlertInput!) { setLowBalanceAlert(input: $input) { threshold } }', { input: { threshold: 6_500 } });
  const mine = await customer.client.request<{ planSubscriptions: Array<{ planId: string }> }>('{ planSubscriptions { planId } }');
  expect(mine.planSubscriptions).toEqual([{ planId: plan.createPlan.id }]);
  await stack.dataPlaneCaughtUp();
  const openai = new OpenAI({ apiKey: customer.key, baseURL: `${dataPlane.url}/v1`, maxRetries: 0 });
  const ask = (model: string) => openai.chat.completions.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });

  // Three calls on the plan model come out of the allowance; the fourth from the wallet.
  for (let index = 0; index < 4; index += 1) await ask('gpt-4o-mini');
  expect(Number(await redis.get(redisKeys.planAllowance(customer.userId)))).toBe(0);
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(9 * PER_CALL);
  // A model outside the plan: wallet only.
  await ask('gpt-4o');
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(8 * PER_CALL);
  // The key's quota (6 calls) is spent across plan and wallet: the 7th call is refused and moves nothing.
  await ask('gpt-4o');
  const refused = await ask('gpt-4o').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(7 * PER_CALL);
  expect(Number(await redis.get(redisKeys.tokenQuota(customer.tokenId)))).toBe(0);

  // Raising the key's quota through GraphQL lets it spend again.
  await customer.client.request('mutation($input: UpdateTokenQuotaInput!) { updateTokenQuota(input: $input) { token { quota unlimitedQuota } } }', {
    input: { id: customer.tokenId, quota: 7 * PER_CALL },
  });
  expect(Number(await redis.get(redisKeys.tokenQuota(customer.tokenId)))).toBe(PER_CALL);
  await ask('gpt-4o');

  await eventually(async () => ((await pendingUsageJobs()) === 0 ? true : undefined), 30_000);
  await eventually(async () => ((await sqlBooks(customer.userId)).balance === 6 * PER_CALL ? true : undefined), 30_000);
  expect(await sqlBooks(customer.userId)).toEqual({ balance: 6 * PER_CALL, ledgerSum: 6 * PER_CALL });
  // 7 000 -> 6 000 crossed the threshold once: one alert record, no matter how often jobs ran.
  const alerts = await database.orm.em.fork().find(AuditLog, { action: 'balance.low', target: customer.userId });
  expect(alerts.map((alert) => alert.after)).toEqual([{ threshold: 6_500, balanceBefore: 7 * PER_CALL, balanceAfter: 6 * PER_CALL }]);
  const tokens = await customer.client.request<{ tokens: { edges: Array<{ node: { id: string; quotaUsed: number } }> } }>('{ tokens { edges { node { id quotaUsed } } } }');
  expect(tokens.tokens.edges.find((edge) => edge.node.id === customer.tokenId)?.node.quotaUsed).toBe(7 * PER_CALL);
  const reconciled = await reconcileMoney({ orm: database.orm, redis, pendingUsageJobs, log: () => undefined });
  expect(reconciled).toMatchObject({ outcome: 'checked', drifts: [] });
}, 120_000);

test('plan admin: only admins manage plans; deactivating a plan stops plan spend at once', async () => {
  const customer = await createCustomer('deactivated', 5 * PER_CALL);
  const refused = await customer.client
    .request('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', { input: { name: 'sneaky', allowance: 10, period: 'day' } })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(Error);
  const invalid = await admin
    .request('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', { input: { name: 'bad-period', allowance: 10, period: 'fortnight' } })
    .catch((error: unknown) => error);
  expect(String(invalid)).toContain('period must be day, week or month');

  const plan = await admin.request<{ createPlan: { id: string } }>('mutation($input: CreatePlanInput!) { createPlan(input: $input) { id } }', {
    input: { name: 'daily-all', allowance: 2 * PER_CALL, period: 'day' },
  });
  await admin.request('mutation($input: AssignPlanInput!) { assignPlan(input: $input) { planId } }', { input: { userId: customer.userId, planId: plan.createPlan.id } });
  const openai = new OpenAI({ apiKey: customer.key, baseURL: `${dataPlane.url}/v1`, maxRetries: 0 });
  const ask = () => openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
  await ask();
  expect(Number(await redis.get(redisKeys.planAllowance(customer.userId)))).toBe(PER_CALL);
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(5 * PER_CALL);

  const updated = await admin.request<{ updatePlan: { active: boolean } }>('mutation($input: UpdatePlanInput!) { updatePlan(input: $input) { active } }', {
    input: { id: plan.createPlan.id, active: false },
  });
  expect(updated.updatePlan.active).toBe(false);
  await ask();
  expect(Number(await redis.get(redisKeys.planAllowance(customer.userId)))).toBe(PER_CALL);
  expect(Number(await redis.get(redisKeys.wallet(customer.userId)))).toBe(4 * PER_CALL);
  const listed = await admin.request<{ plans: Array<{ name: string; active: boolean }> }>('{ plans { name active } }');
  expect(listed.plans).toEqual(expect.arrayContaining([{ name: 'daily-all', active: false }]));
}, 60_000);
