// Circuit breakers and the retry budget through the real relay: every channel failing opens the breakers and then
// answers a fast 503 with Retry-After without calling upstream; an open breaker lets a probe through after openSeconds
// and closes on success; retries across many failing requests stay within the global budget.
import { redisKeys } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { RETRY_BUDGET_FLOOR } from '../src/resilience/retry-budget';
import { eventually, expectOpenAiError, post, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
let second: MockProvider;
let third: MockProvider;
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

beforeAll(async () => {
  harness = await startHarness();
  second = await startMockProvider();
  third = await startMockProvider();
});
afterAll(async () => {
  await second.close();
  await third.close();
  await harness.close();
});
beforeEach(() => {
  for (const mock of [harness.mock, second, third]) {
    mock.reset();
    mock.setDefault({});
  }
});

const upstreamCalls = () => harness.mock.requests.length + second.requests.length + third.requests.length;

test('all channels failing: breakers open, then a fast 503 with Retry-After and no upstream call', async () => {
  await harness.publish({
    channels: [
      { id: 'down-a', baseUrl: harness.mock.baseUrl, keys: ['sk-down-a'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'down-b', baseUrl: second.baseUrl, keys: ['sk-down-b'], models: ['gpt-4o-mini'], priority: 0 },
    ],
    settings: { breaker: { windowSeconds: 60, minimumRequests: 3, failureRateThreshold: 0.5, openSeconds: 120 } },
  });
  harness.mock.setDefault({ status: 500 });
  second.setDefault({ status: 502 });
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const refused = await eventually(async () => {
    const response = await post(harness, '/v1/chat/completions', { key, body });
    expect([502, 503]).toContain(response.status);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    return response.status === 503 ? response : null;
  }, 15_000);
  expectOpenAiError(refused.json, 'no_available_channel');
  expect(await harness.redis.hget(redisKeys.breaker('down-a'), 's')).toBe('1');
  expect(await harness.redis.hget(redisKeys.breaker('down-b'), 's')).toBe('1');
  const calls = upstreamCalls();
  for (let index = 0; index < 5; index += 1) {
    const response = await post(harness, '/v1/chat/completions', { key, body });
    expect(response.status).toBe(503);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
  }
  expect(upstreamCalls()).toBe(calls);
  expect(await harness.wallet(userId)).toBe(before);
});

test('after openSeconds one probe goes through, and a success closes the breaker', async () => {
  await harness.publish({
    channels: [{ id: 'flaky', baseUrl: third.baseUrl, keys: ['sk-flaky'], models: ['gpt-4o-mini'] }],
    settings: { breaker: { windowSeconds: 60, minimumRequests: 2, failureRateThreshold: 0.5, openSeconds: 1 } },
  });
  third.setDefault({ status: 503 });
  const { key } = await seedUser(harness);
  await eventually(async () => ((await post(harness, '/v1/chat/completions', { key, body })).status === 503 && (await harness.redis.hget(redisKeys.breaker('flaky'), 's')) === '1' ? true : null), 15_000);
  third.setDefault({});
  const recovered = await eventually(async () => {
    const response = await post(harness, '/v1/chat/completions', { key, body });
    return response.status === 200 ? response : null;
  }, 15_000);
  expect(recovered.status).toBe(200);
  await eventually(async () => ((await harness.redis.hget(redisKeys.breaker('flaky'), 's')) === '0' ? true : null));
  for (let index = 0; index < 3; index += 1) expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
});

test('retries across many failing requests stay within the global retry budget', async () => {
  await harness.publish({
    channels: [
      { id: 'storm-a', baseUrl: harness.mock.baseUrl, keys: ['sk-storm-a'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'storm-b', baseUrl: second.baseUrl, keys: ['sk-storm-b'], models: ['gpt-4o-mini'], priority: 5 },
      { id: 'storm-c', baseUrl: third.baseUrl, keys: ['sk-storm-c'], models: ['gpt-4o-mini'], priority: 0 },
    ],
    // Breakers kept shut so only the budget limits the retries.
    settings: {
      breaker: { windowSeconds: 60, minimumRequests: 10_000, failureRateThreshold: 1, openSeconds: 1 },
      retry: { maxAttempts: 3, budgetRatio: 0.2, retryOnStatus: [500, 502, 503] },
    },
  });
  for (const mock of [harness.mock, second, third]) mock.setDefault({ status: 503 });
  await harness.redis.del(redisKeys.retryBudget);
  const { key } = await seedUser(harness);
  const requests = 40;
  for (let index = 0; index < requests; index += 1) {
    const response = await post(harness, '/v1/chat/completions', { key, body });
    expect(response.status).toBe(502);
    expect(response.headers.get('retry-after')).not.toBeNull();
  }
  const calls = upstreamCalls();
  // Without the budget: 3 x 40 = 120. The floor may count once per 10 s bucket pair (at most twice in this test).
  expect(calls).toBeGreaterThanOrEqual(requests);
  expect(calls).toBeLessThanOrEqual(requests + Math.ceil(0.2 * requests) + 2 * RETRY_BUDGET_FLOOR);
});
