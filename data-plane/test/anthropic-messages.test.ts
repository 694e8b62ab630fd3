// /v1/messages through the official @anthropic-ai/sdk, served by an OpenAI-wire channel (the mock speaks OpenAI):
// JSON and streamed text, a streamed tool_use, exact billing, and errors in Anthropic's shape before any upstream call.
import Anthropic from '@anthropic-ai/sdk';
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import { PRICE, post, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function client(key: string): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: harness.dataPlane.url, maxRetries: 0 });
}

function costOf(usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number | null }): number {
  const cached = usage.cache_read_input_tokens ?? 0;
  return computeCost({ promptTokens: usage.input_tokens + cached, completionTokens: usage.output_tokens, cacheReadTokens: cached, cacheWriteTokens: 0 }, fullPrice).total;
}

function anthropicError(json: unknown, type: string): void {
  expect(json).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
}

test('non-streaming text: Anthropic message, converted upstream body, billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const message = await client(key).messages.create({
    model: 'gpt-4o-mini',
    max_tokens: 64,
    system: 'be kind',
    messages: [{ role: 'user', content: 'say hello to the gateway' }],
    stop_sequences: ['END'],
  });
  expect(message.type).toBe('message');
  expect(message.role).toBe('assistant');
  expect(message.model).toBe('gpt-4o-mini');
  expect(message.content).toEqual([{ type: 'text', text: 'Hello from the NebulaGate mock provider!' }]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage.output_tokens).toBeGreaterThan(0);
  const cost = costOf(message.usage);
  expect(cost).toBeGreaterThan(0);
  expect(before - (await harness.wallet(userId))).toBe(cost);

  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/chat/completions');
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-a');
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(upstream?.body).toMatchObject({
    model: 'gpt-4o-mini',
    max_tokens: 64,
    stop: ['END'],
    messages: [
      { role: 'system', content: 'be kind' },
      { role: 'user', content: 'say hello to the gateway' },
    ],
  });
});

test('messages.stream(...).finalMessage() assembles streamed text; usage billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'one two three four', usage: { promptTokens: 40, completionTokens: 4 } });
  const stream = client(key).messages.stream({ model: 'gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'stream please' }] });
  let deltas = '';
  stream.on('text', (text) => {
    deltas += text;
  });
  const message = await stream.finalMessage();
  expect(deltas).toBe('one two three four');
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'one two three four' })]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage).toMatchObject({ input_tokens: 40, output_tokens: 4 });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ input_tokens: 40, output_tokens: 4 }));
  // The gateway asked the upstream for usage and kept the usage-only chunk to itself.
  expect(harness.mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

test('a streamed tool call arrives as a tool_use block the SDK assembles', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], usage: { promptTokens: 30, completionTokens: 9 } });
  const message = await client(key)
    .messages.stream({
      model: 'gpt-4o-mini',
      max_tokens: 64,
      tools: [{ name: 'get_weather', description: 'weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: 'weather in Paris?' }],
    })
    .finalMessage();
  expect(message.stop_reason).toBe('tool_use');
  expect(message.content).toEqual([expect.objectContaining({ type: 'tool_use', id: 'call_mock0', name: 'get_weather', input: { city: 'Paris', unit: 'c' } })]);
  expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 9 });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ input_tokens: 30, output_tokens: 9 }));
  expect(harness.mock.requests[0]?.body).toMatchObject({
    tool_choice: 'auto',
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather by city' } }],
  });
});

test('bad key -> AuthenticationError 401 in Anthropic shape', async () => {
  const error: unknown = await client('sk-not-a-real-key')
    .messages.create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
  const apiError = error as InstanceType<typeof Anthropic.AuthenticationError>;
  expect(apiError.status).toBe(401);
  anthropicError(apiError.error, 'authentication_error');
  expect(harness.mock.requests).toHaveLength(0);
});

test('malformed JSON -> 400 invalid_request_error with no upstream call and no charge', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const response = await post(harness, '/v1/messages?beta=true', { body: '{"model": "gpt-4o-mini", ', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'tools-2024-05-16' } });
  expect(response.status).toBe(400);
  anthropicError(response.json, 'invalid_request_error');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('unmappable parameter and insufficient balance are Anthropic-shaped 4xx; /hf/v1 alias and Bearer work', async () => {
  const { key } = await seedUser(harness);
  const topK = await post(harness, '/hf/v1/messages', { key, body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, top_k: 3, messages: [{ role: 'user', content: 'x' }] }) });
  expect(topK.status).toBe(400);
  anthropicError(topK.json, 'invalid_request_error');
  expect((topK.json as { error: { message: string } }).error.message).toContain('top_k');

  const poor = await seedUser(harness, 10);
  const broke = await post(harness, '/v1/messages', { key: poor.key, body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }) });
  expect(broke.status).toBeGreaterThanOrEqual(400);
  expect(broke.status).toBeLessThan(500);
  expect(broke.status).not.toBe(429);
  anthropicError(broke.json, 'invalid_request_error');
  expect(harness.mock.requests).toHaveLength(0);

  const ok = await post(harness, '/hf/v1/messages', { key, body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }) });
  expect(ok.status).toBe(200);
  expect(ok.json).toMatchObject({ type: 'message', role: 'assistant' });
});

test('mid-stream upstream failure -> event: error the SDK throws', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'a b c d e f', errorAfterChunks: 2 });
  const stream = client(key).messages.stream({ model: 'gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
  const error: unknown = await stream.finalMessage().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect(String((error as Error).message)).toContain('api_error');
});
