// Caller limits through the real data plane: RPM, TPM and concurrency per token, per user (group defaults) and per IP,
// refused with 429 + Retry-After in the caller's API shape before any money moves; per-channel caps skip the channel.
import { redisKeys } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { eventually, expectOpenAiError, post, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
let second: MockProvider;
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

beforeAll(async () => {
  harness = await startHarness();
  second = await startMockProvider();
});
afterAll(async () => {
  await second.close();
  await harness.close();
});
beforeEach(async () => {
  harness.mock.reset();
  second.reset();
  await harness.publish({ channels: [{ id: 'limits-a', baseUrl: harness.mock.baseUrl, keys: ['sk-limits-a'], models: ['gpt-4o-mini'] }] });
});

test('a token RPM cap refuses with 429 + Retry-After in OpenAI shape; the refused request moves no money', async () => {
  const { key, userId } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 3, tokensPerMinute: null, concurrentRequests: null } });
  for (let index = 0; index < 3; index += 1) expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  const wallet = await harness.wallet(userId);
  const jobs = await harness.jobCount();
  const refused = await post(harness, '/v1/chat/completions', { key, body });
  expect(refused.status).toBe(429);
  expectOpenAiError(refused.json, 'rate_limited');
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await harness.wallet(userId)).toBe(wallet);
  expect(await harness.jobCount()).toBe(jobs);
  expect(harness.mock.requests).toHaveLength(3);
});

test('the Anthropic Messages endpoint refuses in Anthropic shape', async () => {
  const { key } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 1, tokensPerMinute: null, concurrentRequests: null } });
  const anthropicBody = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
  const headers = { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
  expect((await post(harness, '/v1/messages', { body: anthropicBody, headers })).status).toBe(200);
  const refused = await post(harness, '/v1/messages', { body: anthropicBody, headers });
  expect(refused.status).toBe(429);
  expect(refused.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
  expect(refused.headers.get('retry-after')).not.toBeNull();
});

test('group-default concurrency: a second parallel request is refused, and slots come back after success and errors', async () => {
  await harness.publish({
    channels: [{ id: 'limits-a', baseUrl: harness.mock.baseUrl, keys: ['sk-limits-a'], models: ['gpt-4o-mini'] }],
    settings: { limits: { perIp: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null }, groupDefaults: { default: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: 1 } } } },
  });
  const { key, userId } = await seedUser(harness);
  harness.mock.enqueue({ delayMs: 400 });
  const slow = post(harness, '/v1/chat/completions', { key, body });
  await eventually(async () => (harness.mock.requests.length === 1 ? true : null));
  const parallel = await post(harness, '/v1/chat/completions', { key, body });
  expect(parallel.status).toBe(429);
  expect((await slow).status).toBe(200);
  const concurrencyKey = redisKeys.limit(`user:${userId}`, 'concurrency');
  await eventually(async () => ((await harness.redis.zcard(concurrencyKey)) === 0 ? true : null));
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  // An upstream failure also releases the slot.
  harness.mock.enqueue({ status: 500 });
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(502);
  await eventually(async () => ((await harness.redis.zcard(concurrencyKey)) === 0 ? true : null));
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  // A user record's own limits win over the group default.
  const own = await seedUser(harness);
  await harness.redis.set(redisKeys.user(own.userId), JSON.stringify({ ...own.user, limits: { requestsPerMinute: 1, tokensPerMinute: null, concurrentRequests: null } }));
  expect((await post(harness, '/v1/chat/completions', { key: own.key, body })).status).toBe(200);
  expect((await post(harness, '/v1/chat/completions', { key: own.key, body })).status).toBe(429);
});

test('a client that disconnects while waiting for the upstream frees its concurrency slot', async () => {
  const { key, token } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: 1 } });
  const concurrencyKey = redisKeys.limit(`token:${token.id}`, 'concurrency');
  harness.mock.enqueue({ delayMs: 3_000 });
  const controller = new AbortController();
  const abandoned = fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
    signal: controller.signal,
  }).catch((error: unknown) => error);
  await eventually(async () => (harness.mock.requests.length === 1 ? true : null));
  expect(await harness.redis.zcard(concurrencyKey)).toBe(1);
  controller.abort();
  await abandoned;
  await eventually(async () => ((await harness.redis.zcard(concurrencyKey)) === 0 ? true : null));
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
});

test('TPM counts the actual tokens once the request ends and refuses once the minute is used up', async () => {
  const { key, token } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: null, tokensPerMinute: 40, concurrentRequests: null } });
  const tpmKey = redisKeys.limit(`token:${token.id}`, 'tpm');
  harness.mock.enqueue({ usage: { promptTokens: 5, completionTokens: 7 } });
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  await eventually(async () => ((await harness.redis.get(tpmKey)) === '12' ? true : null));
  harness.mock.enqueue({ usage: { promptTokens: 20, completionTokens: 10 } });
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  await eventually(async () => ((await harness.redis.get(tpmKey)) === '42' ? true : null));
  const refused = await post(harness, '/v1/chat/completions', { key, body });
  expect(refused.status).toBe(429);
  expect(refused.text).toContain('tokens per minute');
});

test('a per-channel cap skips the channel like an open breaker', async () => {
  await harness.publish({
    channels: [
      { id: 'capped', baseUrl: harness.mock.baseUrl, keys: ['sk-capped'], models: ['gpt-4o-mini'], priority: 10, extra: { limits: { requestsPerMinute: 2, tokensPerMinute: null, concurrentRequests: null } } },
      { id: 'spare', baseUrl: second.baseUrl, keys: ['sk-spare'], models: ['gpt-4o-mini'], priority: 0 },
    ],
  });
  const { key } = await seedUser(harness);
  for (let index = 0; index < 5; index += 1) expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  expect(harness.mock.requests).toHaveLength(2);
  expect(second.requests).toHaveLength(3);
});

test('a per-IP cap applies across users and keys', async () => {
  await harness.publish({
    channels: [{ id: 'limits-a', baseUrl: harness.mock.baseUrl, keys: ['sk-limits-a'], models: ['gpt-4o-mini'] }],
    settings: { limits: { perIp: { requestsPerMinute: 2, tokensPerMinute: null, concurrentRequests: null }, groupDefaults: {} } },
  });
  await harness.redis.del(redisKeys.limit('ip:127.0.0.1', 'rpm'));
  const first = await seedUser(harness);
  const other = await seedUser(harness);
  expect((await post(harness, '/v1/chat/completions', { key: first.key, body })).status).toBe(200);
  expect((await post(harness, '/v1/chat/completions', { key: other.key, body })).status).toBe(200);
  const refused = await post(harness, '/v1/chat/completions', { key: other.key, body });
  expect(refused.status).toBe(429);
  expect(refused.text).toContain('IP address');
});
