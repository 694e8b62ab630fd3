// Two-phase spend on the data plane against a real Redis: plan allowance before the wallet, the plan's model scope,
// the token quota, void on failure, bounded overshoot and settle-once, through the official openai SDK.
import { redisKeys } from '@nebulagate/schema';
import { WalletService } from '../src/billing/wallet.service';
import { eventually, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

// PRICE: 2 credits per input token, 8 per output token.
const USAGE = { promptTokens: 10, completionTokens: 5 };
const COST = 10 * 2 + 5 * 8;

async function givePlan(userId: string, allowance: number, scope: string[] = ['m:*', 'g:*']): Promise<void> {
  await harness.redis.set(redisKeys.planAllowance(userId), allowance);
  await harness.redis.del(redisKeys.planScope(userId));
  await harness.redis.sadd(redisKeys.planScope(userId), ...scope, 'x:active');
}

async function plan(userId: string): Promise<number> {
  return Number(await harness.redis.get(redisKeys.planAllowance(userId)));
}

async function chat(key: string, model = 'gpt-4o-mini') {
  return harness.openai(key).chat.completions.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
}

/** The usage event a direct settle call records (cost fields are filled in from what the settle charged). */
function eventJson(requestId: string, userId: string, tokenId: string): string {
  return JSON.stringify({
    requestId, userId, tokenId, channelId: null, model: 'gpt-4o-mini', upstreamModel: null, endpoint: '/v1/chat/completions', stream: false,
    status: 'success', httpStatus: 200, promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false, cost: 0,
    reserved: 0, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: null, clientIp: null, errorCode: null,
  });
}

async function eventOf(requestId: string) {
  return eventually(() => harness.usageEvent(requestId), 15_000);
}

test('the plan allowance pays first; the event records planCost', async () => {
  const { key, userId } = await seedUser(harness, 10_000);
  await givePlan(userId, 1_000);
  harness.mock.enqueue({ usage: USAGE });
  const { response } = await chat(key);
  const event = await eventOf(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ cost: COST, planCost: COST });
  expect(await plan(userId)).toBe(1_000 - COST);
  expect(await harness.wallet(userId)).toBe(10_000);
});

test('a plan that covers part of the cost: the rest comes from the wallet, the unused reservation goes back', async () => {
  const { key, userId } = await seedUser(harness, 10_000);
  await givePlan(userId, 25);
  harness.mock.enqueue({ usage: USAGE });
  const { response } = await chat(key);
  const event = await eventOf(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ cost: COST, planCost: 25 });
  expect(await plan(userId)).toBe(0);
  expect(await harness.wallet(userId)).toBe(10_000 - (COST - 25));
});

test('a model outside the plan spends only from the wallet', async () => {
  const { key, userId } = await seedUser(harness, 10_000);
  await givePlan(userId, 1_000, ['m:gpt-4o', 'g:*']);
  harness.mock.enqueue({ usage: USAGE });
  const { response } = await chat(key, 'gpt-4o-mini');
  const event = await eventOf(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ cost: COST, planCost: 0 });
  expect(await plan(userId)).toBe(1_000);
  expect(await harness.wallet(userId)).toBe(10_000 - COST);
});

test('a group outside the plan spends only from the wallet', async () => {
  const { key, userId } = await seedUser(harness, 10_000);
  await givePlan(userId, 1_000, ['m:*', 'g:vip']);
  harness.mock.enqueue({ usage: USAGE });
  await chat(key);
  expect(await plan(userId)).toBe(1_000);
  expect(await harness.wallet(userId)).toBe(10_000 - COST);
});

test('an exhausted token quota is refused with 402 before any upstream call, and no money moves', async () => {
  const { key, userId, token } = await seedUser(harness, 10_000, { quotaLimited: true });
  await harness.redis.set(redisKeys.tokenQuota(token.id), 5);
  await givePlan(userId, 1_000);
  const error = await chat(key).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ status: 402, code: 'insufficient_quota' });
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(10_000);
  expect(await plan(userId)).toBe(1_000);
  expect(await harness.redis.get(redisKeys.tokenQuota(token.id))).toBe('5');
  expect(await harness.redis.zcard(redisKeys.reservationsByExpiry)).toBe(0);
});

test('a quota-limited token is charged the actual cost and gets the unused reservation back', async () => {
  const { key, userId, token } = await seedUser(harness, 10_000, { quotaLimited: true });
  await harness.redis.set(redisKeys.tokenQuota(token.id), 5_000);
  harness.mock.enqueue({ usage: USAGE });
  await chat(key);
  expect(await harness.redis.get(redisKeys.tokenQuota(token.id))).toBe(String(5_000 - COST));
  expect(await harness.wallet(userId)).toBe(10_000 - COST);
});

test('a failed upstream call voids the reservation: plan, wallet and quota all come back', async () => {
  const { key, userId, token } = await seedUser(harness, 10_000, { quotaLimited: true });
  await harness.redis.set(redisKeys.tokenQuota(token.id), 5_000);
  await givePlan(userId, 40);
  harness.mock.setDefault({ status: 400, errorBody: { error: { message: 'bad request upstream', type: 'invalid_request_error', code: null, param: null } } });
  const error = await chat(key).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ status: expect.any(Number) });
  await eventually(async () => ((await harness.redis.zcard(redisKeys.reservationsByExpiry)) === 0 ? true : null));
  expect(await harness.wallet(userId)).toBe(10_000);
  expect(await plan(userId)).toBe(40);
  expect(await harness.redis.get(redisKeys.tokenQuota(token.id))).toBe('5000');
});

describe('WalletService scripts', () => {
  let wallet: WalletService;
  beforeAll(() => {
    wallet = new WalletService(harness.redis);
  });

  test('overshoot takes only what is available, never below zero, and reports the uncovered part', async () => {
    const { userId, token } = await seedUser(harness, 150);
    const request = { requestId: `overshoot-${Date.now()}`, userId, tokenId: token.id, amount: 100, model: 'gpt-4o-mini', group: 'default', quotaLimited: false };
    await expect(wallet.reserve(request)).resolves.toEqual({ fromPlan: 0, fromWallet: 100 });
    expect(await harness.wallet(userId)).toBe(50);
    const result = await wallet.settle(request.requestId, userId, token.id, 300, eventJson(request.requestId, userId, token.id));
    expect(result).toEqual({ settled: true, planCost: 0, walletCost: 150, uncovered: 150 });
    expect(await harness.wallet(userId)).toBe(0);
  });

  test('settle runs once: a second settle or void moves nothing', async () => {
    const { userId, token } = await seedUser(harness, 1_000);
    await givePlan(userId, 50);
    const request = { requestId: `once-${Date.now()}`, userId, tokenId: token.id, amount: 200, model: 'gpt-4o-mini', group: 'default', quotaLimited: false };
    await expect(wallet.reserve(request)).resolves.toEqual({ fromPlan: 50, fromWallet: 150 });
    await expect(wallet.settle(request.requestId, userId, token.id, 120, eventJson(request.requestId, userId, token.id))).resolves.toEqual({ settled: true, planCost: 50, walletCost: 70, uncovered: 0 });
    await expect(wallet.settle(request.requestId, userId, token.id, 0, eventJson(request.requestId, userId, token.id))).resolves.toEqual({ settled: false, planCost: 0, walletCost: 0, uncovered: 0 });
    expect(await harness.wallet(userId)).toBe(1_000 - 70);
    expect(await plan(userId)).toBe(0);
  });

  test('the node-wide keep-alive pushes the expiry of a reservation still open; settle closes it', async () => {
  const { userId, token } = await seedUser(harness, 1_000);
  const keeper = new WalletService(harness.redis);
  keeper.startKeepAlive(40);
  try {
    const request = { requestId: `kept-${Date.now()}`, userId, tokenId: token.id, amount: 100, model: 'gpt-4o-mini', group: 'default', quotaLimited: false };
    await keeper.reserve(request);
    const first = Number(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId));
    await eventually(async () => (Number(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId)) > first ? true : null), 5_000);
    await keeper.settle(request.requestId, userId, token.id, 10, eventJson(request.requestId, userId, token.id));
    expect(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId)).toBeNull();
  } finally {
    keeper.stopKeepAlive();
  }
});

test('a long request keeps its reservation open: extend pushes the expiry (hash and sweeper index); after settle it does nothing', async () => {
    const { userId, token } = await seedUser(harness, 1_000);
    const request = { requestId: `long-${Date.now()}`, userId, tokenId: token.id, amount: 100, model: 'gpt-4o-mini', group: 'default', quotaLimited: false };
    await wallet.reserve(request);
    const first = Number(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(wallet.extend(request.requestId)).resolves.toBe(true);
    const extended = Number(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId));
    expect(extended).toBeGreaterThan(first);
    expect(Number(await harness.redis.hget(redisKeys.reservation(request.requestId), 'expiresAt'))).toBe(extended);
    await wallet.settle(request.requestId, userId, token.id, 10, eventJson(request.requestId, userId, token.id));
    await expect(wallet.extend(request.requestId)).resolves.toBe(false);
    expect(await harness.redis.zscore(redisKeys.reservationsByExpiry, request.requestId)).toBeNull();
  });

  test('the wallet refuses all or nothing: a short wallet takes nothing from the plan either', async () => {
    const { userId, token } = await seedUser(harness, 10);
    await givePlan(userId, 50);
    const request = { requestId: `short-${Date.now()}`, userId, tokenId: token.id, amount: 100, model: 'gpt-4o-mini', group: 'default', quotaLimited: false };
    await expect(wallet.reserve(request)).rejects.toMatchObject({ code: 'insufficient_quota' });
    expect(await harness.wallet(userId)).toBe(10);
    expect(await plan(userId)).toBe(50);
    expect(await harness.redis.exists(redisKeys.reservation(request.requestId))).toBe(0);
  });
});
