// Upstream trouble: retries to another channel before the first byte, failed attempts cost nothing, mid-stream
// failures end with an error frame and bill only what streamed, client disconnects abort upstream and bill what streamed.
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import OpenAI from 'openai';
import { eventually, expectOpenAiError, post, PRICE, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
let backup: MockProvider;
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
const validBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
const LONG_REPLY = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

beforeAll(async () => {
  harness = await startHarness();
  backup = await startMockProvider();
  // channel-a (priority 10) is always tried first; channel-b (priority 0) is the fallback.
  await harness.publish({
    channels: [
      { id: 'channel-a', baseUrl: harness.mock.baseUrl, keys: ['sk-upstream-a-secret'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'channel-b', baseUrl: backup.baseUrl, keys: ['sk-upstream-b-secret'], models: ['gpt-4o-mini'], priority: 0 },
    ],
  });
});
afterAll(async () => {
  await backup.close();
  await harness.close();
});
beforeEach(() => {
  harness.mock.reset();
  backup.reset();
});

function tokensCost(promptTokens: number, completionTokens: number): number {
  return computeCost({ promptTokens, completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, fullPrice).total;
}

test('500 on channel A then 200 on channel B: the client gets 200 and is billed once', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const jobsBefore = await harness.jobCount();
  harness.mock.enqueue({ status: 500 });
  const { data, response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'retry me' }] })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
  expect(harness.mock.requests).toHaveLength(1);
  expect(backup.requests).toHaveLength(1);
  expect(backup.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-b-secret');
  const usage = data.usage as NonNullable<typeof data.usage>;
  const cost = tokensCost(usage.prompt_tokens, usage.completion_tokens);
  expect(before - (await harness.wallet(userId))).toBe(cost);
  expect(await harness.jobCount()).toBe(jobsBefore + 1);
  expect(await harness.usageEvent(response.headers.get('x-request-id') ?? '')).toMatchObject({ channelId: 'channel-b', status: 'success', cost });
});

test('a reset before any byte reached the client is retried on the next channel', async () => {
  const { key } = await seedUser(harness);
  // Without a chunk interval the mock resets before anything is flushed.
  harness.mock.enqueue({ content: LONG_REPLY, resetAfterChunks: 0 });
  const stream = await harness.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  expect(backup.requests).toHaveLength(1);
});

test('a streaming request also retries when the first channel fails before any byte', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ status: 503 });
  const stream = await harness.openai(key).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  expect(backup.requests).toHaveLength(1);
});

test('every channel failing: 502 in OpenAI shape, nothing charged, one error usage event with cost 0', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 500, errorBody: { error: { message: 'internal failure at http://10.1.2.3:8080 with key sk-upstream-a-secret', type: 'server_error' } } });
  backup.enqueue({ status: 502 });
  const response = await post(harness, '/v1/chat/completions', { key, body: validBody });
  expect(response.status).toBe(502);
  expectOpenAiError(response.json, 'upstream_error');
  expect(response.text).not.toContain('sk-upstream');
  expect(response.text).not.toContain('10.1.2.3');
  expect(response.text).not.toContain('127.0.0.1');
  expect(await harness.wallet(userId)).toBe(before);
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'error', cost: 0, errorCode: 'upstream_error', httpStatus: 502 });
});

test('an upstream 400 caused by the request comes back as 400, scrubbed, and is not retried', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({
    status: 400,
    errorBody: { error: { message: `max_tokens is too large for ${harness.mock.baseUrl}; key sk-upstream-a-secret`, type: 'invalid_request_error', param: 'max_tokens', code: null } },
  });
  const response = await post(harness, '/v1/chat/completions', { key, body: validBody });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'invalid_request');
  expect(response.text).toContain('max_tokens is too large');
  expect(response.text).not.toContain('sk-upstream-a-secret');
  expect(response.text).not.toContain(harness.mock.baseUrl);
  expect(response.text).not.toContain('127.0.0.1');
  expect(backup.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('upstream 429 everywhere: 429 to the client, nothing charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 429 });
  backup.enqueue({ status: 429 });
  const response = await post(harness, '/v1/chat/completions', { key, body: validBody });
  expect(response.status).toBe(429);
  expectOpenAiError(response.json, 'rate_limited');
  expect(await harness.wallet(userId)).toBe(before);
});

test('a mid-stream reset ends the stream with an error frame and bills only what streamed', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  // The chunk interval makes the mock flush each chunk before it resets the socket.
  harness.mock.enqueue({ content: LONG_REPLY, resetAfterChunks: 5, chunkIntervalMs: 10 });
  const { data: stream, response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'long answer please' }], stream: true })
    .withResponse();
  let text = '';
  let failure: unknown = null;
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(OpenAI.APIError);
  expect(String((failure as Error).message)).not.toContain('127.0.0.1');
  // The mock's last chunk before the reset may or may not be flushed; what arrived is a strict prefix of the reply.
  expect(text.startsWith('word0 word1 word2 word3 ')).toBe(true);
  expect(LONG_REPLY.startsWith(text)).toBe(true);
  expect(text.length).toBeLessThan(LONG_REPLY.length);
  expect(backup.requests).toHaveLength(0); // no retry after bytes reached the client

  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'error', estimated: true, errorCode: 'upstream_error' });
  expect(event?.completionTokens).toBeGreaterThanOrEqual(4);
  expect(event?.completionTokens).toBeLessThan(40);
  expect(event?.cost).toBe(tokensCost(event?.promptTokens ?? 0, event?.completionTokens ?? 0));
  expect(event?.cost).toBeLessThan(tokensCost(event?.promptTokens ?? 0, 40));
  expect(before - (await harness.wallet(userId))).toBe(event?.cost);
});

test('an upstream error frame mid-stream reaches the client as an OpenAI error frame, scrubbed', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: LONG_REPLY, errorAfterChunks: 3 });
  const response = await fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
  });
  const text = await response.text();
  const frames = text.trim().split('\n\n');
  const last = frames[frames.length - 1] ?? '';
  expect(last.startsWith('data: {"error":')).toBe(true);
  expectOpenAiError(JSON.parse(last.slice('data: '.length)), 'upstream_error');
  expect(text).not.toContain('[DONE]');
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'error', estimated: true });
  expect(before - (await harness.wallet(userId))).toBe(event?.cost);
});

test('an upstream that closes cleanly without finishing ends the stream with an error frame, not a silent success', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: LONG_REPLY, endAfterChunks: 3 });
  const response = await fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
  });
  const text = await response.text();
  const frames = text.trim().split('\n\n');
  expect(frames.length).toBeGreaterThan(1);
  expectOpenAiError(JSON.parse((frames[frames.length - 1] ?? '').slice('data: '.length)), 'upstream_error');
  expect(text).not.toContain('[DONE]');
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'error', errorCode: 'upstream_error' });
});

test('a client disconnect mid-stream aborts the upstream and bills prompt + what streamed', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: LONG_REPLY, chunkIntervalMs: 30 });
  const controller = new AbortController();
  const response = await fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
    signal: controller.signal,
  });
  const requestId = response.headers.get('x-request-id') ?? '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let received = '';
  while ((received.match(/word/g) ?? []).length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    received += Buffer.from(value).toString('utf8');
  }
  controller.abort();
  const event = await eventually(() => harness.usageEvent(requestId));
  expect(event).toMatchObject({ status: 'client_aborted', estimated: true });
  expect(event.promptTokens).toBeGreaterThan(0);
  expect(event.completionTokens).toBeGreaterThanOrEqual(3);
  expect(event.completionTokens).toBeLessThan(40);
  expect(event.cost).toBe(tokensCost(event.promptTokens, event.completionTokens));
  expect(before - (await harness.wallet(userId))).toBe(event.cost);
  // The mock stops writing once its client (the gateway) is gone; the reservation is closed.
  expect(await harness.redis.exists(`ng:reservation:${requestId}`)).toBe(0);
});
