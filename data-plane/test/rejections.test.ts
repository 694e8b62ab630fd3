// Every bad input gets its 4xx in OpenAI's shape before money moves: the mock provider sees no call and the wallet is
// unchanged.
import { gzipSync } from 'node:zlib';
import { hashApiKey, updateTokenRecord } from '@nebulagate/testing';
import OpenAI from 'openai';
import { eventually, expectOpenAiError, post, PRICE, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    prices: { 'gpt-4o-mini': PRICE, 'gpt-4o': PRICE },
    settings: { maxRequestBodyBytes: MAX_BODY },
    channels: [{ id: 'channel-a', baseUrl: harness.mock.baseUrl, keys: ['sk-upstream-a'], models: ['gpt-4o-mini', 'gpt-4o', 'unpriced-model'] }],
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

const validBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

async function expectRefused(
  run: (key: string) => Promise<{ status: number; json: unknown }>,
  expected: { status: number; code: string },
  options: { walletCredits?: number; token?: Parameters<typeof seedUser>[2] } = {},
): Promise<void> {
  const { key, userId } = await seedUser(harness, options.walletCredits ?? 10_000_000, options.token);
  const before = await harness.wallet(userId);
  const jobsBefore = await harness.jobCount();
  const result = await run(key);
  expect(result.status).toBe(expected.status);
  expectOpenAiError(result.json, expected.code);
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  expect(await harness.jobCount()).toBe(jobsBefore);
}

test('no key: 401', async () => {
  await expectRefused(() => post(harness, '/v1/chat/completions', { body: validBody }), { status: 401, code: 'invalid_api_key' });
});

test('unknown key: 401 (in every header the gateway accepts)', async () => {
  await expectRefused(() => post(harness, '/v1/chat/completions', { key: 'sk-ng-not-a-real-key', body: validBody }), { status: 401, code: 'invalid_api_key' });
  await expectRefused(() => post(harness, '/v1/chat/completions', { headers: { 'x-api-key': 'sk-ng-nope' }, body: validBody }), { status: 401, code: 'invalid_api_key' });
  await expectRefused(() => post(harness, '/v1/chat/completions', { headers: { 'x-goog-api-key': 'sk-ng-nope' }, body: validBody }), { status: 401, code: 'invalid_api_key' });
  await expectRefused(() => post(harness, '/v1/chat/completions?key=sk-ng-nope', { body: validBody }), { status: 401, code: 'invalid_api_key' });
});

test('the SDK surfaces a bad key as AuthenticationError', async () => {
  const client = new OpenAI({ apiKey: 'sk-ng-wrong', baseURL: `${harness.dataPlane.url}/v1`, maxRetries: 0 });
  await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
});

test('a revoked key is refused within 5 s of the invalidation publish, even when it was cached', async () => {
  const { key, keyHash, token, userId } = await seedUser(harness);
  const first = await post(harness, '/v1/chat/completions', { key, body: validBody });
  expect(first.status).toBe(200);
  await updateTokenRecord(harness.redis, keyHash, { ...token, status: 'revoked' });
  const before = await harness.wallet(userId);
  harness.mock.reset();
  const refused = await eventually(async () => {
    const attempt = await post(harness, '/v1/chat/completions', { key, body: validBody });
    return attempt.status === 401 ? attempt : null;
  }, 5_000);
  expectOpenAiError(refused.json, 'invalid_api_key');
  expect(hashApiKey(key)).toBe(keyHash);
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('an expired key: 401 token_expired', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: validBody }), { status: 401, code: 'token_expired' }, { token: { expiresAt: Date.now() - 1000 } });
});

test('a model outside the token allow-list: 403', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: validBody }), { status: 403, code: 'model_not_allowed' }, { token: { models: ['gpt-4o'] } });
});

test('a client IP outside the token IP allow-list: 403', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: validBody }), { status: 403, code: 'permission_denied' }, { token: { ipAllowList: ['203.0.113.0/24'] } });
  const allowed = await seedUser(harness, 10_000_000, { ipAllowList: ['127.0.0.1/32', '::1'] });
  expect((await post(harness, '/v1/chat/completions', { key: allowed.key, body: validBody })).status).toBe(200);
});

test('malformed JSON: 400 invalid_json', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: '{"model": "gpt-4o-mini", "messages": [' }), { status: 400, code: 'invalid_json' });
});

test('missing model or messages: 400 invalid_request naming the parameter', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }) }), { status: 400, code: 'invalid_request' });
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ model: 'gpt-4o-mini' }) }), { status: 400, code: 'invalid_request' });
  const { key } = await seedUser(harness);
  const missingModel = await post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ messages: [] }) });
  expect((missingModel.json as { error: { param: string } }).error.param).toBe('model');
});

test('unknown model: 404 model_not_found', async () => {
  await expectRefused(
    (key) => post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ model: 'gpt-9-imaginary', messages: [{ role: 'user', content: 'x' }] }) }),
    { status: 404, code: 'model_not_found' },
  );
});

test('a routable model without a price is refused with a 4xx while allowUnpricedModels is false', async () => {
  await expectRefused(
    (key) => post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ model: 'unpriced-model', messages: [{ role: 'user', content: 'x' }] }) }),
    { status: 403, code: 'model_not_allowed' },
  );
});

test('insufficient balance: 402 insufficient_quota (the SDK does not retry it)', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: validBody }), { status: 402, code: 'insufficient_quota' }, { walletCredits: 10 });
  await expectRefused(
    async (key) => {
      try {
        await harness.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
        return { status: 200, json: null };
      } catch (error) {
        if (!(error instanceof OpenAI.APIError)) throw error;
        return { status: error.status ?? 0, json: { error: error.error } };
      }
    },
    { status: 402, code: 'insufficient_quota' },
    { walletCredits: 0 },
  );
});

test('a user without a wallet key counts as zero balance', async () => {
  const { key, userId } = await seedUser(harness);
  await harness.redis.del(`ng:wallet:${userId}`);
  const response = await post(harness, '/v1/chat/completions', { key, body: validBody });
  expect(response.status).toBe(402);
  expectOpenAiError(response.json, 'insufficient_quota');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.redis.get(`ng:wallet:${userId}`)).toBeNull();
});

test('an oversized body: 413', async () => {
  const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY + 10) }] });
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: big }), { status: 413, code: 'body_too_large' });
});

test('a gzip bomb: 413, measured after decompression', async () => {
  // 10 MB of zeros compresses to ~10 kB: under the cap on the wire, far over it once inflated.
  const inflated = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '0'.repeat(10 * 1024 * 1024) }] });
  const bomb = gzipSync(inflated);
  expect(bomb.length).toBeLessThan(MAX_BODY);
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: bomb, headers: { 'content-encoding': 'gzip' } }), { status: 413, code: 'body_too_large' });
});

test('a small gzip body within the cap is accepted', async () => {
  const { key } = await seedUser(harness);
  const response = await post(harness, '/v1/chat/completions', { key, body: gzipSync(validBody), headers: { 'content-encoding': 'gzip' } });
  expect(response.status).toBe(200);
});

test('an unknown content-encoding: 415', async () => {
  await expectRefused((key) => post(harness, '/v1/chat/completions', { key, body: validBody, headers: { 'content-encoding': 'zstd-custom' } }), { status: 415, code: 'unsupported_media_type' });
});

test('a disabled user: 403', async () => {
  const { key, userId } = await seedUser(harness);
  await harness.redis.set(`ng:user:${userId}`, JSON.stringify({ id: userId, status: 'disabled', group: 'default' }));
  await harness.redis.publish('ng:invalidate', JSON.stringify({ kind: 'user', id: userId }));
  const before = await harness.wallet(userId);
  const response = await eventually(async () => {
    const attempt = await post(harness, '/v1/chat/completions', { key, body: validBody });
    return attempt.status === 403 ? attempt : null;
  });
  expectOpenAiError(response.json, 'permission_denied');
  expect(await harness.wallet(userId)).toBe(before);
});
