// The official @anthropic-ai/sdk on an anthropic-type channel: served natively (the caller's body goes upstream with
// the mapped model, the upstream's reply comes back unchanged). Text, streamed tool use, the tool-result turn, exact
// billing; and GET /v1/models in Anthropic's shape for the Anthropic SDK (OpenAI's shape for everyone else).
import Anthropic from '@anthropic-ai/sdk';
import { computeCost, type SnapshotPrice, type TokenUsage } from '@nebulagate/schema';
import { seedUser, startHarness, type Harness } from './harness';

const MODEL = 'claude-haiku';
const UPSTREAM_MODEL = 'claude-haiku-4-5';
const price: SnapshotPrice = { inputPerMillion: 1_000_000, outputPerMillion: 5_000_000, cacheReadPerMillion: 100_000, cacheWritePerMillion: 1_250_000, perCall: 0, defaultMaxOutputTokens: null };
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [
      { id: 'claude', type: 'anthropic', baseUrl: harness.mock.origin, keys: ['sk-ant-upstream'], models: [MODEL], modelMapping: { [MODEL]: UPSTREAM_MODEL } },
      { id: 'openai', baseUrl: harness.mock.baseUrl, keys: ['sk-openai-upstream'], models: ['gpt-4o-mini'] },
    ],
    prices: { [MODEL]: price, 'gpt-4o-mini': price },
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function client(key: string): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: harness.dataPlane.url, maxRetries: 0 });
}

function costOf(usage: TokenUsage): number {
  return computeCost(usage, price).total;
}

test('messages.create: text round trip through an Anthropic channel, billed exactly with cache reads', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'Hi there', usage: { promptTokens: 500, completionTokens: 2, cachedTokens: 400 } });
  const message = await client(key).messages.create({
    model: MODEL,
    max_tokens: 64,
    system: 'be kind',
    stop_sequences: ['END'],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
  });
  // Served natively: the upstream's reply as it came, with the upstream's model name.
  expect(message).toMatchObject({ type: 'message', role: 'assistant', model: UPSTREAM_MODEL, stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hi there' }] });
  expect(message.usage).toMatchObject({ input_tokens: 100, output_tokens: 2, cache_read_input_tokens: 400 });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ promptTokens: 500, completionTokens: 2, cacheReadTokens: 400, cacheWriteTokens: 0 }));

  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/messages');
  expect(upstream?.headers['x-api-key']).toBe('sk-ant-upstream');
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  // The caller's own body with the mapped model (native pass-through keeps cache_control; see native-passthrough-*).
  expect(upstream?.body).toEqual({
    model: UPSTREAM_MODEL,
    max_tokens: 64,
    system: 'be kind',
    stop_sequences: ['END'],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
  });
});

test('messages.stream: streamed tool_use assembled by the SDK; the tool_result turn reaches the upstream', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], usage: { promptTokens: 30, completionTokens: 9 } });
  const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const question: Anthropic.MessageParam = { role: 'user', content: 'weather in Paris?' };
  const message = await client(key)
    .messages.stream({ model: MODEL, max_tokens: 64, tools, tool_choice: { type: 'any' }, messages: [question] })
    .finalMessage();
  expect(message.stop_reason).toBe('tool_use');
  expect(message.content).toEqual([
    expect.objectContaining({ type: 'text', text: 'Let me check.' }),
    expect.objectContaining({ type: 'tool_use', id: 'toolu_mock0', name: 'get_weather', input: { city: 'Paris', unit: 'c' } }),
  ]);
  expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 9 });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ promptTokens: 30, completionTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0 }));
  expect(harness.mock.requests[0]?.body).toMatchObject({
    stream: true,
    tools: [{ name: 'get_weather', description: 'weather by city', input_schema: { type: 'object' } }],
    tool_choice: { type: 'any' },
  });

  harness.mock.enqueue({ content: 'Sunny, 21 C.' });
  const answer = await client(key).messages.create({
    model: MODEL,
    max_tokens: 64,
    tools,
    messages: [
      question,
      { role: 'assistant', content: message.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_mock0', content: '21 C and sunny' }] },
    ],
  });
  expect(answer.content).toEqual([{ type: 'text', text: 'Sunny, 21 C.' }]);
  expect((harness.mock.requests[1]?.body as { messages: unknown }).messages).toEqual([
    { role: 'user', content: 'weather in Paris?' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_mock0', name: 'get_weather', input: { city: 'Paris', unit: 'c' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_mock0', content: '21 C and sunny' }] },
  ]);
});

test('upstream overloaded with no other channel -> Anthropic-shaped error the SDK raises; nothing charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 529 });
  const error: unknown = await client(key)
    .messages.create({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'api_error', message: expect.any(String) } });
  expect(await harness.wallet(userId)).toBe(before);
});

describe('GET /v1/models', () => {
  test('the Anthropic SDK gets Anthropic-shaped pages and auto-paginates', async () => {
    const { key } = await seedUser(harness);
    const anthropic = client(key);
    const page = await anthropic.models.list();
    expect(page.data).toEqual([
      { type: 'model', id: MODEL, display_name: MODEL, created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { type: 'model', id: 'gpt-4o-mini', display_name: 'gpt-4o-mini', created_at: expect.any(String) },
    ]);
    const ids: string[] = [];
    for await (const model of anthropic.models.list({ limit: 1 })) ids.push(model.id);
    expect(ids).toEqual([MODEL, 'gpt-4o-mini']);
    const one = await anthropic.models.retrieve('gpt-4o-mini');
    expect(one).toEqual({ type: 'model', id: 'gpt-4o-mini', display_name: 'gpt-4o-mini', created_at: expect.any(String) });
    expect(harness.mock.requests).toHaveLength(0);
  });

  test('Anthropic-shaped errors for an unknown model and a bad key; OpenAI callers keep the OpenAI list', async () => {
    const { key } = await seedUser(harness);
    const missing: unknown = await client(key).models.retrieve('nope').catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toEqual({ type: 'error', error: { type: 'not_found_error', message: expect.any(String) } });
    const denied: unknown = await client('sk-not-a-key').models.list().catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((denied as InstanceType<typeof Anthropic.AuthenticationError>).error).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });

    const list = await harness.openai(key).models.list();
    expect(list.data.map((model) => model.id)).toEqual([MODEL, 'gpt-4o-mini']);
    expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'nebulagate' });
    const bare = await fetch(`${harness.dataPlane.url}/v1/models?limit=0`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('limit') } });
  });
});
