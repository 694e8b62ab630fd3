// The official openai SDK against the data plane on anthropic-type channels (the mock speaks Anthropic Messages):
// JSON and streamed text, streamed parallel tool calls accumulated by the SDK and the tool-result turn, exact billing
// from Anthropic usage with cache read/write prices, failover on 529/500 and on an error event before any content,
// and rejections (upstream 400, unmappable parameter) that move no money.
import { computeCost, DEFAULT_SNAPSHOT_SETTINGS, type SnapshotPrice, type TokenUsage } from '@nebulagate/schema';
import { startMockProvider, type MockProvider, type MockScript } from '@nebulagate/testing';
import OpenAI from 'openai';
import { eventually, expectOpenAiError, post, seedUser, startHarness, type Harness } from './harness';

const MODEL = 'claude-sonnet';
const UPSTREAM_MODEL = 'claude-sonnet-4-5';
const price: SnapshotPrice = { inputPerMillion: 3_000_000, outputPerMillion: 15_000_000, cacheReadPerMillion: 300_000, cacheWritePerMillion: 3_750_000, perCall: 0, defaultMaxOutputTokens: null };
let harness: Harness;
let backup: MockProvider;

beforeAll(async () => {
  harness = await startHarness();
  backup = await startMockProvider();
  // claude-a (priority 10) is always tried first; claude-b (priority 0, another mock) is the fallback.
  await harness.publish({
    channels: [
      { id: 'claude-a', type: 'anthropic', baseUrl: harness.mock.origin, keys: ['sk-ant-upstream-a'], models: [MODEL], priority: 10, modelMapping: { [MODEL]: UPSTREAM_MODEL } },
      { id: 'claude-b', type: 'anthropic', baseUrl: backup.origin, keys: ['sk-ant-upstream-b'], models: [MODEL], priority: 0, modelMapping: { [MODEL]: UPSTREAM_MODEL } },
    ],
    prices: { [MODEL]: price },
    // The failover tests must not depend on how many first attempts came before them.
    settings: { retry: { ...DEFAULT_SNAPSHOT_SETTINGS.retry, budgetRatio: 10 } },
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

function costOf(usage: TokenUsage): number {
  return computeCost(usage, price).total;
}

function requestIdOf(response: Response): string {
  return response.headers.get('x-request-id') ?? '';
}

test('non-streaming: Messages call with x-api-key, converted body, OpenAI reply, billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'Bonjour from Claude', usage: { promptTokens: 40, completionTokens: 4 } });
  const { data, response } = await harness
    .openai(key)
    .chat.completions.create({
      model: MODEL,
      max_tokens: 100,
      stop: ['END'],
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      ],
    })
    .withResponse();
  expect(data.object).toBe('chat.completion');
  expect(data.id).toMatch(/^chatcmpl-msg_mock/);
  expect(data.model).toBe(UPSTREAM_MODEL);
  expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Bonjour from Claude' });
  expect(data.choices[0]?.finish_reason).toBe('stop');
  expect(data.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 4, total_tokens: 44, prompt_tokens_details: { cached_tokens: 0 } });
  const cost = costOf({ promptTokens: 40, completionTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 });
  expect(before - (await harness.wallet(userId))).toBe(cost);

  expect(harness.mock.requests).toHaveLength(1);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/messages');
  expect(upstream?.headers['x-api-key']).toBe('sk-ant-upstream-a');
  expect(upstream?.headers['anthropic-version']).toBe('2023-06-01');
  expect(upstream?.headers.authorization).toBeUndefined();
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(upstream?.body).toEqual({
    model: UPSTREAM_MODEL,
    max_tokens: 100,
    stop_sequences: ['END'],
    temperature: 0.2,
    system: [{ type: 'text', text: 'be brief' }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hello' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
    ],
  });
  expect(await harness.usageEvent(requestIdOf(response))).toMatchObject({ channelId: 'claude-a', upstreamModel: UPSTREAM_MODEL, status: 'success', cost, estimated: false });
});

test('streamed text with include_usage: chunks, usage chunk, cache read/write billed at their own prices', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  // cacheWriteTokens is read by the mock's Anthropic wire only (AnthropicMockScript).
  const script: MockScript & { cacheWriteTokens: number } = { content: 'one two three four', usage: { promptTokens: 1000, completionTokens: 4, cachedTokens: 600 }, cacheWriteTokens: 300 };
  harness.mock.enqueue(script);
  const { data: stream, response } = await harness
    .openai(key)
    .chat.completions.create({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count to four' }] })
    .withResponse();
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('one two three four');
  expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
  expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
  const usageChunk = chunks[chunks.length - 1];
  expect(usageChunk?.choices).toEqual([]);
  expect(usageChunk?.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 600 } });

  const usage = { promptTokens: 1000, completionTokens: 4, cacheReadTokens: 600, cacheWriteTokens: 300 };
  const breakdown = computeCost(usage, price);
  // The cache prices matter: billing everything at the input price would cost more.
  expect(breakdown.total).toBeLessThan(costOf({ ...usage, cacheReadTokens: 0, cacheWriteTokens: 0 }));
  expect(before - (await harness.wallet(userId))).toBe(breakdown.total);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ stream: true, status: 'success', estimated: false, promptTokens: 1000, completionTokens: 4, cacheReadTokens: 600, cacheWriteTokens: 300, cost: breakdown.total });
  expect(event?.costBreakdown).toMatchObject({ input: breakdown.input, cacheRead: breakdown.cacheRead, cacheWrite: breakdown.cacheWrite, output: breakdown.output });
  expect(harness.mock.requests[0]?.body).toMatchObject({ model: UPSTREAM_MODEL, stream: true, max_tokens: 4096 });
  expect(harness.mock.requests[0]?.body).not.toHaveProperty('stream_options');
});

test('a stream without include_usage gets no usage chunk but is still billed from Anthropic usage', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'short answer', usage: { promptTokens: 20, completionTokens: 2 } });
  const stream = await harness.openai(key).chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'x' }] });
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
  expect(before - (await harness.wallet(userId))).toBe(costOf({ promptTokens: 20, completionTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 }));
});

test('streamed parallel tool calls are accumulated by chat.completions.stream(); the tool-result turn is converted', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'get_weather', arguments: { city: 'Oslo', unit: 'c' } },
    ],
    usage: { promptTokens: 50, completionTokens: 12 },
  });
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', description: 'weather by city', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } } } },
  ];
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'weather in Paris and Oslo?' }];
  const completion = await harness.openai(key).chat.completions.stream({ model: MODEL, messages, tools, tool_choice: 'auto' }).finalChatCompletion();
  const choice = completion.choices[0];
  expect(choice?.finish_reason).toBe('tool_calls');
  const toolCalls = (choice?.message.tool_calls ?? []).map((call) => (call.type === 'function' ? { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown } : null));
  expect(toolCalls).toEqual([
    { id: 'toolu_mock0', name: 'get_weather', arguments: { city: 'Paris' } },
    { id: 'toolu_mock1', name: 'get_weather', arguments: { city: 'Oslo', unit: 'c' } },
  ]);
  expect(before - (await harness.wallet(userId))).toBe(costOf({ promptTokens: 50, completionTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0 }));
  expect(harness.mock.requests[0]?.body).toMatchObject({
    tools: [{ name: 'get_weather', description: 'weather by city', input_schema: { type: 'object' } }],
    tool_choice: { type: 'auto' },
  });

  // Second turn: the assistant's calls and both results go back; the results share one user turn.
  harness.mock.enqueue({ content: 'Sunny in Paris, rain in Oslo.' });
  const answer = await harness
    .openai(key)
    .chat.completions.create({
      model: MODEL,
      tools,
      messages: [
        ...messages,
        choice!.message,
        { role: 'tool', tool_call_id: 'toolu_mock0', content: 'sunny' },
        { role: 'tool', tool_call_id: 'toolu_mock1', content: 'rain' },
      ],
    });
  expect(answer.choices[0]?.message.content).toBe('Sunny in Paris, rain in Oslo.');
  expect((harness.mock.requests[1]?.body as { messages: unknown }).messages).toEqual([
    { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Oslo?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'toolu_mock0', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_mock1', name: 'get_weather', input: { city: 'Oslo', unit: 'c' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_mock0', content: 'sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_mock1', content: 'rain' },
      ],
    },
  ]);
});

test('reasoning_effort -> thinking budget upstream; thinking comes back as reasoning_content', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ reasoning: 'Two plus two is four.', content: '4' });
  const completion = await harness.openai(key).chat.completions.create({ model: MODEL, max_completion_tokens: 3000, reasoning_effort: 'low', messages: [{ role: 'user', content: '2+2?' }] });
  expect(completion.choices[0]?.message.content).toBe('4');
  expect((completion.choices[0]?.message as unknown as { reasoning_content?: string }).reasoning_content).toBe('Two plus two is four.');
  expect(harness.mock.requests[0]?.body).toMatchObject({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 1024 } });
});

test('upstream 400 -> 400 in OpenAI shape with the scrubbed upstream message, not retried, nothing charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 400, errorBody: { type: 'error', error: { type: 'invalid_request_error', message: 'messages.0: key sk-ant-upstream-a is wrong here' } } });
  const response = await post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }) });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'invalid_request');
  const message = (response.json as { error: { message: string } }).error.message;
  expect(message).toContain('messages.0');
  expect(message).not.toContain('sk-ant-upstream-a');
  expect(backup.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ status: 'error', cost: 0 });
});

test('an unmappable parameter -> 400 naming it, before any upstream call, nothing charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const error: unknown = await harness
    .openai(key)
    .chat.completions.create({ model: MODEL, n: 2, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
  expect(apiError.status).toBe(400);
  expect(apiError.param).toBe('n');
  expect(apiError.code).toBe('invalid_request');
  expect(harness.mock.requests).toHaveLength(0);
  expect(backup.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  // The reservation was voided: an error event with no cost.
  const event = await eventually(() => harness.usageEvent(apiError.requestID ?? ''));
  expect(event).toMatchObject({ status: 'error', httpStatus: 400, errorCode: 'invalid_request', cost: 0 });
});

test.each([
  ['529 overloaded', 529],
  ['500', 500],
])('upstream %s on channel A -> served by channel B, billed once', async (_name, status) => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status });
  backup.enqueue({ content: 'from the backup', usage: { promptTokens: 10, completionTokens: 3 } });
  const { data, response } = await harness.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).withResponse();
  expect(data.choices[0]?.message.content).toBe('from the backup');
  expect(harness.mock.requests).toHaveLength(1);
  expect(backup.requests).toHaveLength(1);
  expect(backup.requests[0]?.headers['x-api-key']).toBe('sk-ant-upstream-b');
  const cost = costOf({ promptTokens: 10, completionTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 });
  expect(before - (await harness.wallet(userId))).toBe(cost);
  expect(await harness.usageEvent(requestIdOf(response))).toMatchObject({ channelId: 'claude-b', status: 'success', cost });
});

test('an error event before any content fails over on a stream; the client sees only channel B', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'never shown', errorAfterChunks: 0 });
  backup.enqueue({ content: 'backup stream', usage: { promptTokens: 8, completionTokens: 2 } });
  const stream = await harness.openai(key).chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'x' }] });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('backup stream');
  expect(harness.mock.requests).toHaveLength(1);
  expect(backup.requests).toHaveLength(1);
  expect(before - (await harness.wallet(userId))).toBe(costOf({ promptTokens: 8, completionTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 }));
});

test('an error event after content -> the SDK throws; only what streamed is billed (estimated)', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'a b c d e f', errorAfterChunks: 2 });
  const { data: stream, response } = await harness.openai(key).chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'x' }] }).withResponse();
  let text = '';
  const error: unknown = await (async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  })().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(String((error as Error).message)).toContain('mock mid-stream failure');
  expect(text).toBe('a b ');
  expect(backup.requests).toHaveLength(0);
  const charged = before - (await harness.wallet(userId));
  expect(charged).toBeGreaterThan(0);
  const event = await eventually(() => harness.usageEvent(requestIdOf(response)));
  expect(event).toMatchObject({ status: 'error', estimated: true, cost: charged, channelId: 'claude-a' });
});

test('a stream cut after message_start bills the prompt the upstream reported (cache tokens at cache prices), not a byte estimate', async () => {
  const { key } = await seedUser(harness);
  const script: MockScript & { cacheWriteTokens: number } = { content: 'a b c d e f', errorAfterChunks: 2, usage: { promptTokens: 5000, completionTokens: 6, cachedTokens: 4000 }, cacheWriteTokens: 500 };
  harness.mock.enqueue(script);
  const { data: stream, response } = await harness.openai(key).chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'x' }] }).withResponse();
  await (async () => {
    for await (const chunk of stream) void chunk;
  })().catch(() => undefined);
  const event = await eventually(() => harness.usageEvent(requestIdOf(response)));
  // The prompt sent was a single word: a byte estimate would be a handful of tokens, not what Anthropic counted.
  expect(event).toMatchObject({ status: 'error', estimated: true, promptTokens: 5000, cacheReadTokens: 4000, cacheWriteTokens: 500 });
  expect(event?.completionTokens).toBeGreaterThan(0);
});
