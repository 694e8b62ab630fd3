// Routing through the real relay: failover with the attempt chain on the usage event, per-key disables on an upstream
// 401, a user's own 400 that never counts, overrides and status mapping as the mock provider received them,
// round-robin keys and session affinity.
import { channelKeyId, redisKeys } from '@nebulagate/schema';
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
beforeEach(() => {
  harness.mock.reset();
  second.reset();
});

function authorizationsOf(mock: MockProvider): string[] {
  return mock.requests.map((request) => String(request.headers.authorization ?? ''));
}

test('channel A answers 500, B 200: the client gets 200, billed once, A excluded, both attempts on the usage event', async () => {
  await harness.publish({
    channels: [
      { id: 'fail-a', baseUrl: harness.mock.baseUrl, keys: ['sk-fail-a'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'ok-b', baseUrl: second.baseUrl, keys: ['sk-ok-b'], models: ['gpt-4o-mini'], priority: 0 },
    ],
  });
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.setDefault({ status: 500 });
  try {
    const { data, response } = await harness
      .openai(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
    expect(harness.mock.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
    const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
    expect(event.channelId).toBe('ok-b');
    expect(event.attempts).toEqual([
      { channelId: 'fail-a', keyId: channelKeyId('sk-fail-a'), status: 500, errorCode: 'upstream_error', durationMs: expect.any(Number) },
      { channelId: 'ok-b', keyId: channelKeyId('sk-ok-b'), status: 200, errorCode: null, durationMs: expect.any(Number) },
    ]);
    expect(event.cost).toBeGreaterThan(0);
    expect(before - (await harness.wallet(userId))).toBe(event.cost);
  } finally {
    harness.mock.setDefault({});
  }
});

test('an upstream 401 disables only that key: its sibling key and the channel keep serving', async () => {
  const bad = await startMockProvider({ apiKeys: ['sk-good-1', 'sk-other'] });
  try {
    await harness.publish({
      channels: [
        { id: 'keyed', baseUrl: bad.baseUrl, keys: ['sk-revoked', 'sk-good-1'], models: ['gpt-4o-mini'], priority: 10, extra: { keySelection: 'round-robin' } },
        { id: 'keyed-other', baseUrl: bad.baseUrl, keys: ['sk-other'], models: ['gpt-4o-mini'], priority: 0 },
      ],
    });
    const { key } = await seedUser(harness);
    for (let index = 0; index < 6; index += 1) expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
    const used = authorizationsOf(bad);
    // Round-robin starts on the revoked key: exactly one 401, then never again.
    expect(used.filter((value) => value === 'Bearer sk-revoked')).toHaveLength(1);
    expect(used.filter((value) => value === 'Bearer sk-good-1').length).toBeGreaterThanOrEqual(5);
    expect(await harness.redis.smembers(redisKeys.disabledKeys('keyed'))).toEqual([channelKeyId('sk-revoked')]);
    expect(await harness.redis.exists(redisKeys.disabledKeys('keyed-other'))).toBe(0);
    expect(await harness.redis.hget(redisKeys.breaker('keyed'), 's')).not.toBe('1');
  } finally {
    await bad.close();
  }
});

test("a user's own 400 is not retried, never opens a breaker and never disables anything", async () => {
  await harness.publish({
    channels: [
      { id: 'strict', baseUrl: harness.mock.baseUrl, keys: ['sk-strict'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'strict-backup', baseUrl: second.baseUrl, keys: ['sk-strict-b'], models: ['gpt-4o-mini'], priority: 0 },
    ],
    settings: { breaker: { windowSeconds: 60, minimumRequests: 2, failureRateThreshold: 0.5, openSeconds: 60 } },
  });
  const { key } = await seedUser(harness);
  const userError = { status: 400, errorBody: { error: { message: 'messages must not be empty', type: 'invalid_request_error', code: 'invalid_request' } } };
  for (let index = 0; index < 6; index += 1) {
    harness.mock.enqueue(userError);
    const response = await post(harness, '/v1/chat/completions', { key, body });
    expect(response.status).toBe(400);
    expectOpenAiError(response.json, 'invalid_request');
  }
  expect(second.requests).toHaveLength(0);
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  // The success is written by the next breaker sync; the six 400s were never counted.
  await eventually(async () => ((await harness.redis.hget(redisKeys.breaker('strict'), 'requests')) === '1' ? true : null));
  expect(await harness.redis.hmget(redisKeys.breaker('strict'), 's', 'failures')).toEqual(['0', '0']);
  expect(await harness.redis.hget(redisKeys.breaker('strict', channelKeyId('sk-strict')), 'failures')).toBe('0');
  expect(await harness.redis.exists(redisKeys.disabledKeys('strict'))).toBe(0);
  expect(harness.mock.requests).toHaveLength(7);
});

test('parameter and header overrides and status code mapping reach the upstream call', async () => {
  await harness.publish({
    channels: [
      {
        id: 'shaped',
        baseUrl: harness.mock.baseUrl,
        keys: ['sk-shaped'],
        models: ['gpt-4o-mini'],
        modelMapping: { 'gpt-4o-mini': 'upstream-mini' },
        priority: 10,
        extra: {
          parameterOverrides: { temperature: 0.1, user: null },
          headerOverrides: { 'X-Team': 'blue', Authorization: 'Bearer hijack' },
          // This upstream says 400 when it is overloaded: treat it as 503 (retry elsewhere).
          statusCodeMapping: { '400': 503 },
        },
      },
      { id: 'shaped-backup', baseUrl: second.baseUrl, keys: ['sk-shaped-b'], models: ['gpt-4o-mini'], priority: 0 },
    ],
  });
  const { key } = await seedUser(harness);
  const shapedBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], temperature: 1.5, user: 'end-user-7' });
  expect((await post(harness, '/v1/chat/completions', { key, body: shapedBody })).status).toBe(200);
  const received = harness.mock.requests[0];
  expect(received?.body).toMatchObject({ model: 'upstream-mini', temperature: 0.1 });
  expect(received?.body).not.toHaveProperty('user');
  expect(received?.headers['x-team']).toBe('blue');
  expect(received?.headers.authorization).toBe('Bearer sk-shaped');

  harness.mock.enqueue({ status: 400 });
  expect((await post(harness, '/v1/chat/completions', { key, body: shapedBody })).status).toBe(200);
  expect(second.requests).toHaveLength(1);
});

test('session affinity keeps a conversation on its channel and key; other conversations spread', async () => {
  const third = await startMockProvider();
  try {
    await harness.publish({
      channels: [
        { id: 'sticky-1', baseUrl: harness.mock.baseUrl, keys: ['sk-s1-a', 'sk-s1-b'], models: ['gpt-4o-mini'], weight: 1 },
        { id: 'sticky-2', baseUrl: second.baseUrl, keys: ['sk-s2-a', 'sk-s2-b'], models: ['gpt-4o-mini'], weight: 1 },
        { id: 'sticky-3', baseUrl: third.baseUrl, keys: ['sk-s3-a', 'sk-s3-b'], models: ['gpt-4o-mini'], weight: 1 },
      ],
      settings: { sessionAffinity: { enabled: true, headers: ['x-session-id', 'x-claude-code-session-id'], ttlSeconds: 600 } },
    });
    const { key } = await seedUser(harness);
    const all = () => [...authorizationsOf(harness.mock), ...authorizationsOf(second), ...authorizationsOf(third)];
    for (let index = 0; index < 12; index += 1) {
      const response = await post(harness, '/v1/chat/completions', { key, body, headers: { 'x-claude-code-session-id': 'conversation-42' } });
      expect(response.status).toBe(200);
    }
    expect(new Set(all()).size).toBe(1);
    for (let index = 0; index < 12; index += 1) {
      expect((await post(harness, '/v1/chat/completions', { key, body, headers: { 'x-session-id': `conversation-${index}` } })).status).toBe(200);
    }
    expect(new Set(all()).size).toBeGreaterThan(1);
  } finally {
    await third.close();
  }
});
