// POST /v1/messages/count_tokens through the official @anthropic-ai/sdk: forwarded to an Anthropic-type channel of the
// route (with the channel's model name and key), a local estimate otherwise, Anthropic-shaped 4xx for bad input, and
// never any money moved or usage event written.
import Anthropic from '@anthropic-ai/sdk';
import { post, PRICE, seedUser, startHarness, type Harness } from './harness';

const CLAUDE = 'claude-haiku';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [
      { id: 'claude', type: 'anthropic', baseUrl: harness.mock.origin, keys: ['sk-ant-upstream'], models: [CLAUDE], modelMapping: { [CLAUDE]: 'claude-haiku-4-5' } },
      { id: 'openai', baseUrl: harness.mock.baseUrl, keys: ['sk-openai-upstream'], models: ['gpt-4o-mini'] },
    ],
    prices: { [CLAUDE]: PRICE, 'gpt-4o-mini': PRICE },
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function client(key: string): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: harness.dataPlane.url, maxRetries: 0 });
}

function anthropicError(error: unknown, type: string): void {
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
}

test('an Anthropic channel counts: the caller body goes upstream with the channel model and key; no money moves', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const jobsBefore = await harness.jobCount();
  const tools: Anthropic.Tool[] = [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const result = await client(key).messages.countTokens({
    model: CLAUDE,
    system: 'be brief',
    tools,
    messages: [{ role: 'user', content: 'how many tokens are these words' }],
  });
  // The mock counts one token per word of system + messages.
  expect(result).toEqual({ input_tokens: 8 });
  expect(harness.mock.requests).toHaveLength(1);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/messages/count_tokens');
  expect(upstream?.headers['x-api-key']).toBe('sk-ant-upstream');
  expect(upstream?.headers['anthropic-version']).toBe('2023-06-01');
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(upstream?.body).toEqual({ model: 'claude-haiku-4-5', system: 'be brief', tools, messages: [{ role: 'user', content: 'how many tokens are these words' }] });
  expect(await harness.wallet(userId)).toBe(before);
  expect(await harness.jobCount()).toBe(jobsBefore);
});

test('a model served only by OpenAI-wire channels gets a local estimate; /hf/v1 alias; no upstream call', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const short = await client(key).messages.countTokens({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const long = await post(harness, '/hf/v1/messages/count_tokens', {
    key,
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'lorem ipsum '.repeat(200) }] }),
  });
  expect(short.input_tokens).toBeGreaterThan(0);
  expect(long.status).toBe(200);
  expect((long.json as { input_tokens: number }).input_tokens).toBeGreaterThan(short.input_tokens + 300);
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('upstream trouble falls back to the estimate; a user-caused upstream 400 is the answer', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ status: 529 });
  const estimated = await client(key).messages.countTokens({ model: CLAUDE, messages: [{ role: 'user', content: 'hello there' }] });
  expect(estimated.input_tokens).toBeGreaterThan(0);
  expect(harness.mock.requests).toHaveLength(1);

  harness.mock.enqueue({ status: 400, errorBody: { type: 'error', error: { type: 'invalid_request_error', message: 'messages.0.content: unexpected block' } } });
  const error: unknown = await client(key)
    .messages.countTokens({ model: CLAUDE, messages: [{ role: 'user', content: 'hello there' }] })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  anthropicError(error, 'invalid_request_error');
  expect((error as Error).message).toContain('unexpected block');
});

test('bad input, bad key and unknown model are Anthropic-shaped 4xx without an upstream call', async () => {
  const { key } = await seedUser(harness);
  const noMessages = await post(harness, '/v1/messages/count_tokens', { key, body: JSON.stringify({ model: CLAUDE, messages: [] }) });
  expect(noMessages.status).toBe(400);
  expect(noMessages.json).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('messages') } });
  const extra = await post(harness, '/v1/messages/count_tokens', { key, body: JSON.stringify({ model: CLAUDE, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }) });
  expect(extra.status).toBe(400);
  const malformed = await post(harness, '/v1/messages/count_tokens', { key, body: '{"model":' });
  expect(malformed.status).toBe(400);
  expect(malformed.json).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } });

  const denied: unknown = await client('sk-not-a-key')
    .messages.countTokens({ model: CLAUDE, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
  anthropicError(denied, 'authentication_error');

  const unknown: unknown = await client(key)
    .messages.countTokens({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
  anthropicError(unknown, 'not_found_error');

  const restricted = await seedUser(harness, 10_000_000, { models: ['gpt-4o-mini'] });
  const forbidden: unknown = await client(restricted.key)
    .messages.countTokens({ model: CLAUDE, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(forbidden).toBeInstanceOf(Anthropic.PermissionDeniedError);
  anthropicError(forbidden, 'permission_error');
  expect(harness.mock.requests).toHaveLength(0);
});
