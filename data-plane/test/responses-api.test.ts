// /v1/responses through the official openai SDK (responses.create / responses.stream), served by a chat-only channel
// (the mock answers chat completions): text, streamed text, function tools round trip, reasoning, exact billing,
// length -> incomplete, refused parameters (400, no money moved), mid-stream failure and the unstored-resource 404s.
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expectOpenAiError, PRICE, post, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(usage: { input_tokens: number; output_tokens: number; input_tokens_details: { cached_tokens: number } }): number {
  const cacheReadTokens = usage.input_tokens_details.cached_tokens;
  return computeCost({ promptTokens: usage.input_tokens, completionTokens: usage.output_tokens, cacheReadTokens, cacheWriteTokens: 0 }, fullPrice).total;
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'weather by city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

test('responses.create: Response object with output_text, converted upstream body, usage event and exact billing', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ usage: { promptTokens: 25, completionTokens: 7, cachedTokens: 5 } });
  const { data: response, response: http } = await harness
    .openai(key)
    .responses.create({
      model: 'gpt-4o-mini',
      instructions: 'be kind',
      input: 'say hello to the gateway',
      max_output_tokens: 64,
      temperature: 0.5,
      metadata: { ticket: 'T-1' },
      store: false,
      user: 'end-user-1',
    })
    .withResponse();
  expect(response.object).toBe('response');
  expect(response.id).toMatch(/^resp_/);
  expect(response.status).toBe('completed');
  expect(response.model).toBe('gpt-4o-mini');
  expect(response.output_text).toBe('Hello from the NebulaGate mock provider!');
  expect(response.output).toEqual([
    expect.objectContaining({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      id: expect.stringMatching(/^msg_/),
      content: [{ type: 'output_text', text: 'Hello from the NebulaGate mock provider!', annotations: [], logprobs: [] }],
    }),
  ]);
  expect(response.instructions).toBe('be kind');
  expect(response.temperature).toBe(0.5);
  expect(response.metadata).toEqual({ ticket: 'T-1' });
  expect(response.usage).toEqual({
    input_tokens: 25,
    input_tokens_details: { cached_tokens: 5, cache_write_tokens: 0 },
    output_tokens: 7,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 32,
  });

  const cost = costOf(response.usage as NonNullable<typeof response.usage>);
  expect(cost).toBeGreaterThan(0);
  expect(before - (await harness.wallet(userId))).toBe(cost);
  const requestId = http.headers.get('x-request-id') ?? '';
  const event = await harness.usageEvent(requestId);
  expect(event).toMatchObject({ requestId, userId, endpoint: '/v1/responses', stream: false, status: 'success', promptTokens: 25, completionTokens: 7, cacheReadTokens: 5, estimated: false, cost });

  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/chat/completions');
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-a');
  expect(upstream?.body).toEqual({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'be kind' },
      { role: 'user', content: 'say hello to the gateway' },
    ],
    max_completion_tokens: 64,
    temperature: 0.5,
  });
});

test('responses.stream: text deltas, finalResponse(), ordered events and exact billing from the usage chunk', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'one two three four', usage: { promptTokens: 40, completionTokens: 4 } });
  const stream = harness.openai(key).responses.stream({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'stream please' }] });
  const events: ResponseStreamEvent[] = [];
  let deltas = '';
  stream.on('event', (event) => events.push(event));
  stream.on('response.output_text.delta', (event) => {
    deltas += event.delta;
  });
  const response = await stream.finalResponse();
  expect(deltas).toBe('one two three four');
  expect(response.output_text).toBe('one two three four');
  expect(response.status).toBe('completed');
  expect(response.usage).toMatchObject({ input_tokens: 40, output_tokens: 4, total_tokens: 44 });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ input_tokens: 40, output_tokens: 4, input_tokens_details: { cached_tokens: 0 } }));

  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
  const types = events.map((event) => event.type);
  expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
  expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
  expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(4);
  const itemIds = new Set(events.flatMap((event) => ('item_id' in event ? [event.item_id] : [])));
  expect(itemIds.size).toBe(1);
  expect(harness.mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

test('function tools round trip: function_call output, then function_call_output input becomes chat tool messages', async () => {
  const { key, userId } = await seedUser(harness);
  const client = harness.openai(key);
  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { promptTokens: 30, completionTokens: 9 } });
  const first = await client.responses.create({
    model: 'gpt-4o-mini',
    input: 'weather in Paris?',
    tools: [weatherTool],
    tool_choice: 'auto',
    parallel_tool_calls: false,
  });
  expect(first.status).toBe('completed');
  expect(first.output).toEqual([
    { type: 'function_call', id: expect.stringMatching(/^fc_/), status: 'completed', call_id: 'call_mock0', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ]);
  expect(first.tools).toEqual([weatherTool]);
  expect(harness.mock.requests[0]?.body).toMatchObject({
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather by city', parameters: weatherTool.parameters, strict: false } }],
    tool_choice: 'auto',
    parallel_tool_calls: false,
  });

  harness.mock.enqueue({ content: 'It is sunny in Paris.', usage: { promptTokens: 50, completionTokens: 6 } });
  const before = await harness.wallet(userId);
  const second = await client.responses.create({
    model: 'gpt-4o-mini',
    tools: [weatherTool],
    input: [
      { role: 'user', content: 'weather in Paris?' },
      ...first.output.filter((item) => item.type === 'function_call'),
      { type: 'function_call_output', call_id: 'call_mock0', output: '{"sky":"sunny"}' },
    ],
  });
  expect(second.output_text).toBe('It is sunny in Paris.');
  expect(before - (await harness.wallet(userId))).toBe(costOf({ input_tokens: 50, output_tokens: 6, input_tokens_details: { cached_tokens: 0 } }));
  expect((harness.mock.requests[1]?.body as { messages: unknown }).messages).toEqual([
    { role: 'user', content: 'weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_mock0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_mock0', content: '{"sky":"sunny"}' },
  ]);
});

test('a streamed function call is assembled by the SDK; argument deltas carry the item id', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }, { name: 'get_weather', arguments: { city: 'Rome' } }] });
  const stream = harness.openai(key).responses.stream({ model: 'gpt-4o-mini', input: 'weather in Oslo and Rome?', tools: [weatherTool] });
  const argumentDeltas: string[] = [];
  stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.item_id));
  const done: string[] = [];
  stream.on('response.function_call_arguments.done', (event) => done.push(`${event.name}:${event.arguments}`));
  const response = await stream.finalResponse();
  expect(response.output).toEqual([
    expect.objectContaining({ type: 'function_call', call_id: 'call_mock0', name: 'get_weather', arguments: '{"city":"Oslo"}', status: 'completed' }),
    expect.objectContaining({ type: 'function_call', call_id: 'call_mock1', name: 'get_weather', arguments: '{"city":"Rome"}', status: 'completed' }),
  ]);
  expect(done).toEqual(['get_weather:{"city":"Oslo"}', 'get_weather:{"city":"Rome"}']);
  expect(new Set(argumentDeltas).size).toBe(2);
});

test('reasoning_content becomes a reasoning item (JSON and stream); reasoning.effort is forwarded', async () => {
  const { key } = await seedUser(harness);
  const client = harness.openai(key);
  harness.mock.enqueue({ reasoning: 'let me think', content: 'Answer.' });
  const json = await client.responses.create({ model: 'gpt-4o-mini', input: 'q', reasoning: { effort: 'low', summary: 'auto' } });
  expect(json.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
  expect(json.output[0]).toMatchObject({ type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'let me think' }] });
  expect(json.output_text).toBe('Answer.');
  expect(harness.mock.requests[0]?.body).toMatchObject({ reasoning_effort: 'low' });

  harness.mock.enqueue({ reasoning: 'let me think', content: 'Answer.' });
  const streamed = await client.responses.stream({ model: 'gpt-4o-mini', input: 'q' }).finalResponse();
  expect(streamed.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
  expect(streamed.output[0]).toMatchObject({ content: [{ type: 'reasoning_text', text: 'let me think' }], status: 'completed' });
  expect(streamed.output_text).toBe('Answer.');
});

test('finish_reason length -> status incomplete with reason max_output_tokens (JSON and stream), still billed', async () => {
  const { key, userId } = await seedUser(harness);
  const client = harness.openai(key);
  harness.mock.enqueue({ content: 'cut short', finishReason: 'length', usage: { promptTokens: 10, completionTokens: 2 } });
  const before = await harness.wallet(userId);
  const json = await client.responses.create({ model: 'gpt-4o-mini', input: 'long story', max_output_tokens: 2 });
  expect(json.status).toBe('incomplete');
  expect(json.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  expect(json.output[0]).toMatchObject({ type: 'message', status: 'incomplete' });
  expect(before - (await harness.wallet(userId))).toBe(costOf({ input_tokens: 10, output_tokens: 2, input_tokens_details: { cached_tokens: 0 } }));

  harness.mock.enqueue({ content: 'cut short', finishReason: 'length', usage: { promptTokens: 10, completionTokens: 2 } });
  const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'long story', max_output_tokens: 2 });
  const terminal: string[] = [];
  stream.on('response.incomplete', (event) => terminal.push(event.type));
  const streamed = await stream.finalResponse();
  expect(terminal).toEqual(['response.incomplete']);
  expect(streamed.status).toBe('incomplete');
  expect(streamed.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  expect(streamed.usage).toMatchObject({ input_tokens: 10, output_tokens: 2 });
});

test('parameters that need server-side state or hosted tools -> 400 in OpenAI shape, no upstream call, no money moved', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const jobsBefore = await harness.jobCount();
  const client = harness.openai(key);
  const attempts: Array<{ params: OpenAI.Responses.ResponseCreateParamsNonStreaming; param: string }> = [
    { params: { model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_123' }, param: 'previous_response_id' },
    { params: { model: 'gpt-4o-mini', input: 'x', tools: [{ type: 'web_search' }] }, param: 'tools.0.type' },
    { params: { model: 'gpt-4o-mini', input: 'x', conversation: 'conv_1' }, param: 'conversation' },
    { params: { model: 'gpt-4o-mini', input: 'x', background: true }, param: 'background' },
    { params: { model: 'gpt-4o-mini', input: [{ type: 'item_reference', id: 'msg_1' }] }, param: 'input.0.type' },
  ];
  for (const attempt of attempts) {
    const error: unknown = await client.responses.create(attempt.params).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.param).toBe(attempt.param);
    expect(apiError.code).toBe('invalid_request');
  }
  const raw = await post(harness, '/v1/responses', { key, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }) });
  expect(raw.status).toBe(400);
  expect(raw.headers.get('x-should-retry')).toBe('false');
  expectOpenAiError(raw.json, 'invalid_request');
  expect((raw.json as { error: { message: string } }).error.message).toContain('file_search');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  expect(await harness.jobCount()).toBe(jobsBefore);
});

test('bad key -> 401, insufficient balance -> 4xx (not retried), /hf/v1 alias answers', async () => {
  const unauthorised: unknown = await harness
    .openai('sk-not-a-real-key')
    .responses.create({ model: 'gpt-4o-mini', input: 'x' })
    .catch((caught: unknown) => caught);
  expect(unauthorised).toBeInstanceOf(OpenAI.AuthenticationError);

  const poor = await seedUser(harness, 10);
  const broke = await post(harness, '/v1/responses', { key: poor.key, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'x' }) });
  expect(broke.status).toBeGreaterThanOrEqual(400);
  expect(broke.status).toBeLessThan(500);
  expect(broke.status).not.toBe(429);
  expectOpenAiError(broke.json, 'insufficient_quota');
  expect(harness.mock.requests).toHaveLength(0);

  const { key } = await seedUser(harness);
  const alias = await post(harness, '/hf/v1/responses', { key, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'x' }) });
  expect(alias.status).toBe(200);
  expect(alias.json).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message' }] });
});

test('mid-stream upstream failure -> response.failed, then an error the SDK throws', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'a b c d e f', errorAfterChunks: 2 });
  const stream = harness.openai(key).responses.stream({ model: 'gpt-4o-mini', input: 'x' });
  const failed: Array<{ status: unknown; error: unknown }> = [];
  stream.on('response.failed', (event) => failed.push({ status: event.response.status, error: event.response.error }));
  const error: unknown = await stream.finalResponse().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(String((error as Error).message)).toContain('upstream');
  expect(failed).toEqual([{ status: 'failed', error: { code: 'server_error', message: expect.stringContaining('upstream') } }]);
});

test('stored-response endpoints answer 404 in OpenAI shape; input_tokens gives a local estimate', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const client = harness.openai(key);
  const calls: Array<() => Promise<unknown>> = [
    () => client.responses.retrieve('resp_123'),
    () => client.responses.delete('resp_123'),
    () => client.responses.cancel('resp_123'),
    () => client.responses.inputItems.list('resp_123'),
  ];
  for (const call of calls) {
    const error: unknown = await call().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String((error as Error).message)).toContain('not stored');
  }
  const count = await client.responses.inputTokens.count({ model: 'gpt-4o-mini', input: 'how many tokens is this sentence?', instructions: 'be brief' });
  expect(count.object).toBe('response.input_tokens');
  expect(count.input_tokens).toBeGreaterThan(0);
  const unauthorised = await post(harness, '/v1/responses/input_tokens', { body: JSON.stringify({ input: 'x' }) });
  expect(unauthorised.status).toBe(401);
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test("the caller's rate limits apply to /v1/responses as to chat: a 429 with Retry-After, no upstream call, no money", async () => {
  const { key, userId } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 1, tokensPerMinute: null, concurrentRequests: null } });
  const client = harness.openai(key);
  await client.responses.create({ model: 'gpt-4o-mini', input: 'first' });
  const upstreamCalls = harness.mock.requests.length;
  const before = await harness.wallet(userId);
  const error: unknown = await client.responses.create({ model: 'gpt-4o-mini', input: 'second' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toMatch(/^\d+$/);
  expect(harness.mock.requests).toHaveLength(upstreamCalls);
  expect(await harness.wallet(userId)).toBe(before);
});
