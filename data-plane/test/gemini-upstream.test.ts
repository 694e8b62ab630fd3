// The official openai SDK against the data plane on gemini-type channels (the mock speaks Gemini): JSON, streamed text
// with thoughts, streamed tool calls and the tool-result turn, exact billing, failover on a Gemini 503, and
// errors (unmappable parameter, user 400, mid-stream failure) that move no money.
import { computeCost, DEFAULT_SNAPSHOT_SETTINGS, type SnapshotPrice } from '@nebulagate/schema';
import OpenAI from 'openai';
import { PRICE, seedUser, startHarness, type Harness } from './harness';

const MODEL = 'gemini-2.5-flash';
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [
      { id: 'gemini-a', type: 'gemini', baseUrl: harness.mock.origin, keys: ['AIza-upstream-a'], models: [MODEL], priority: 10 },
      { id: 'gemini-b', type: 'gemini', baseUrl: harness.mock.origin, keys: ['AIza-upstream-b'], models: [MODEL], priority: 0 },
    ],
    prices: { [MODEL]: PRICE },
    // The failover test must not depend on how many first attempts came before it.
    settings: { retry: { ...DEFAULT_SNAPSHOT_SETTINGS.retry, budgetRatio: 10 } },
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(promptTokens: number, completionTokens: number): number {
  return computeCost({ promptTokens, completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, fullPrice).total;
}

test('non-streaming: converted generateContent call, OpenAI reply, billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ usage: { promptTokens: 30, completionTokens: 7 } });
  const { data, response } = await harness
    .openai(key)
    .chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'be kind' },
        { role: 'user', content: 'say hello' },
      ],
      max_tokens: 64,
      stop: ['END'],
      temperature: 0.3,
    })
    .withResponse();
  expect(data.object).toBe('chat.completion');
  expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello from the NebulaGate mock provider!' });
  expect(data.choices[0]?.finish_reason).toBe('stop');
  expect(data.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 7, total_tokens: 37 });
  expect(before - (await harness.wallet(userId))).toBe(costOf(30, 7));
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ channelId: 'gemini-a', upstreamModel: MODEL, status: 'success', promptTokens: 30, completionTokens: 7, estimated: false, cost: costOf(30, 7) });

  expect(harness.mock.requests).toHaveLength(1);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe(`/v1beta/models/${MODEL}:generateContent`);
  expect(upstream?.headers['x-goog-api-key']).toBe('AIza-upstream-a');
  expect(upstream?.headers.authorization).toBeUndefined();
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(upstream?.body).toEqual({
    contents: [{ role: 'user', parts: [{ text: 'say hello' }] }],
    systemInstruction: { parts: [{ text: 'be kind' }] },
    generationConfig: { stopSequences: ['END'], maxOutputTokens: 64, temperature: 0.3 },
  });
});

test('streaming with thoughts: SDK assembles text and reasoning, usage chunk on request, billed with thoughts', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'one two three', reasoning: 'think about it', usage: { promptTokens: 25, completionTokens: 9 } });
  const { data: stream, response } = await harness
    .openai(key)
    .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = '';
  let reasoning = '';
  const ids = new Set<string>();
  const finishReasons: string[] = [];
  let usage: OpenAI.CompletionUsage | null | undefined = null;
  for await (const chunk of stream) {
    ids.add(chunk.id);
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? '';
    reasoning += (choice?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe('one two three');
  expect(reasoning).toBe('think about it');
  expect(ids.size).toBe(1);
  expect(finishReasons).toEqual(['stop']);
  // Thoughts (3 words in the mock) are completion tokens.
  expect(usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 3 } });
  expect(before - (await harness.wallet(userId))).toBe(costOf(25, 9));
  expect(await harness.usageEvent(response.headers.get('x-request-id') ?? '')).toMatchObject({ stream: true, promptTokens: 25, completionTokens: 9, estimated: false });
  expect(harness.mock.requests[0]?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent`);
  expect(harness.mock.requests[0]?.headers.accept).toBe('text/event-stream');
});

test('streaming without include_usage: no usage chunk reaches the client, but the stream is still billed', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'a b', usage: { promptTokens: 11, completionTokens: 2 } });
  const stream = await harness.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.every((chunk) => chunk.choices.length === 1 && !chunk.usage)).toBe(true);
  expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
  expect(before - (await harness.wallet(userId))).toBe(costOf(11, 2));
});

test('tools: streamed tool call assembled by the SDK, then the tool result goes back as a functionResponse', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { promptTokens: 40, completionTokens: 8 } });
  const tools: OpenAI.ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'weather by city',
        strict: true,
        parameters: { type: 'object', additionalProperties: false, properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'weather in Paris?' }];
  const completion = await harness.openai(key).chat.completions.stream({ model: MODEL, messages, tools, tool_choice: 'required' }).finalChatCompletion();
  const choice = completion.choices[0];
  expect(choice?.finish_reason).toBe('tool_calls');
  const call = choice?.message.tool_calls?.[0];
  expect(call?.type).toBe('function');
  if (call?.type !== 'function') throw new Error('expected a function tool call');
  expect(call.function).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
  expect(call.id).toMatch(/^call_/);
  expect(harness.mock.requests[0]?.body).toMatchObject({
    tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] }],
    toolConfig: { functionCallingConfig: { mode: 'ANY' } },
  });
  expect(JSON.stringify(harness.mock.requests[0]?.body)).not.toContain('additionalProperties');

  harness.mock.enqueue({ content: 'It is 21 degrees.', usage: { promptTokens: 50, completionTokens: 5 } });
  const answer = await harness.openai(key).chat.completions.create({
    model: MODEL,
    tools,
    messages: [...messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' }],
  });
  expect(answer.choices[0]?.message.content).toBe('It is 21 degrees.');
  expect(harness.mock.requests[1]?.body).toMatchObject({
    contents: [
      { role: 'user', parts: [{ text: 'weather in Paris?' }] },
      // The mock signs its function calls; the signature came back through the tool call id.
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'mock-signature-get_weather' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
    ],
  });
  expect(before - (await harness.wallet(userId))).toBe(costOf(40, 8) + costOf(50, 5));
});

test('a parameter Gemini cannot take -> 400 before any upstream call; no money moves', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const error: unknown = await harness
    .openai(key)
    .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], logit_bias: { '50256': -100 } })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
  expect(apiError.status).toBe(400);
  expect(apiError.error).toMatchObject({ code: 'invalid_request', param: 'logit_bias', type: 'invalid_request_error' });
  expect(apiError.headers?.get('x-should-retry')).toBe('false');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  const event = await harness.usageEvent(apiError.headers?.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'error', httpStatus: 400, cost: 0, errorCode: 'invalid_request' });
});

test('a Gemini 503 (UNAVAILABLE) on the first channel -> the next channel answers, billed once', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 503 }, { usage: { promptTokens: 12, completionTokens: 3 } });
  const { data, response } = await harness.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).withResponse();
  expect(data.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
  expect(harness.mock.requests.map((request) => request.headers['x-goog-api-key'])).toEqual(['AIza-upstream-a', 'AIza-upstream-b']);
  expect(before - (await harness.wallet(userId))).toBe(costOf(12, 3));
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event?.attempts.map((attempt) => [attempt.channelId, attempt.status])).toEqual([
    ['gemini-a', 503],
    ['gemini-b', 200],
  ]);
});

test('a user 400 from Gemini is not retried, keeps a scrubbed message, and costs nothing', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({
    status: 400,
    errorBody: { error: { code: 400, message: `Invalid value at 'generation_config.temperature' (key AIza-upstream-a, ${harness.mock.origin})`, status: 'INVALID_ARGUMENT' } },
  });
  const error: unknown = await harness
    .openai(key)
    .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], temperature: 1.5 })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
  expect(apiError.message).toContain('generation_config.temperature');
  expect(JSON.stringify(apiError.error)).not.toContain('AIza-upstream-a');
  expect(JSON.stringify(apiError.error)).not.toContain(harness.mock.origin);
  expect(harness.mock.requests).toHaveLength(1);
  expect(await harness.wallet(userId)).toBe(before);
});

test('a mid-stream Gemini error reaches the SDK as an APIError', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'one two three four', errorAfterChunks: 2 });
  const stream = await harness.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
  let text = '';
  const error: unknown = await (async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  })().catch((caught: unknown) => caught);
  expect(text).toBe('one two ');
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(String((error as Error).message)).toContain('upstream provider failed during the stream');
});
