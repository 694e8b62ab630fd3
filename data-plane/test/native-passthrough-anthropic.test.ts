// The official @anthropic-ai/sdk on an anthropic-type channel goes native: the upstream gets the caller's body
// byte for byte apart from the model (cache_control, thinking, top_k, metadata kept) with the caller's anthropic-beta,
// and the caller gets the upstream's reply and events unchanged (thinking signatures, stop_sequence, cache counts, the
// upstream's message id), billed exactly from them. A mid-stream error ends with an Anthropic error event; failover
// between an anthropic channel (native) and an OpenAI channel (converted) works both ways; a masked request converts.
import Anthropic from '@anthropic-ai/sdk';
import { computeCost, governanceRuleSchema, type GovernanceRule, type SnapshotPrice, type TokenUsage } from '@nebulagate/schema';
import type { SeedChannel } from '@nebulagate/testing';
import { eventually, seedUser, startHarness, type Harness } from './harness';

const MODEL = 'claude-native';
const UPSTREAM_MODEL = 'claude-sonnet-4-5';
/** Served by an OpenAI channel first, the anthropic channel second (failover back to native). */
const OPENAI_FIRST_MODEL = 'claude-openai-first';
const price: SnapshotPrice = { inputPerMillion: 3_000_000, outputPerMillion: 15_000_000, cacheReadPerMillion: 300_000, cacheWritePerMillion: 3_750_000, perCall: 0, defaultMaxOutputTokens: null };
const CHANNELS: SeedChannel[] = [
  { id: 'claude', type: 'anthropic', baseUrl: '', keys: ['sk-ant-upstream'], models: [MODEL, OPENAI_FIRST_MODEL], priority: 10, modelMapping: { [MODEL]: UPSTREAM_MODEL, [OPENAI_FIRST_MODEL]: UPSTREAM_MODEL } },
  { id: 'openai', baseUrl: '', keys: ['sk-openai-upstream'], models: [MODEL], priority: 0, modelMapping: { [MODEL]: 'gpt-4o-mini' } },
  { id: 'openai-first', baseUrl: '', keys: ['sk-openai-first'], models: [OPENAI_FIRST_MODEL], priority: 20, modelMapping: { [OPENAI_FIRST_MODEL]: 'gpt-4o-mini' } },
];
let harness: Harness;

function channels() {
  return CHANNELS.map((channel) => ({ ...channel, baseUrl: channel.type === 'anthropic' ? harness.mock.origin : harness.mock.baseUrl }));
}

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({ channels: channels(), prices: { [MODEL]: price, [OPENAI_FIRST_MODEL]: price } });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

/** An SDK client that also records the exact request bodies (and headers) it sent. */
function client(key: string, sent: string[] = [], sentHeaders: Headers[] = []): Anthropic {
  return new Anthropic({
    apiKey: key,
    baseURL: harness.dataPlane.url,
    maxRetries: 0,
    fetch: async (input, init) => {
      if (typeof init?.body === 'string') sent.push(init.body);
      sentHeaders.push(new Headers(init?.headers));
      return fetch(input, init);
    },
  });
}

function costOf(usage: TokenUsage): number {
  return computeCost(usage, price).total;
}

/** Everything the SDK sends that the conversion path used to lose. */
function richRequest(stream: boolean): Anthropic.Beta.MessageCreateParams {
  return {
    model: MODEL,
    max_tokens: 2048,
    stream,
    top_k: 5,
    metadata: { user_id: 'user-42' },
    thinking: { type: 'enabled', budget_tokens: 1024 },
    stop_sequences: ['END'],
    system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'first question', cache_control: { type: 'ephemeral' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a small document' }, citations: { enabled: true } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'earlier thoughts', signature: 'sig-earlier' },
          { type: 'redacted_thinking', data: 'opaque-redacted' },
          { type: 'text', text: 'earlier answer' },
        ],
      },
      { role: 'user', content: 'follow-up, café ✓' },
    ],
  } as Anthropic.Beta.MessageCreateParams;
}

/** The caller's body with only the model replaced, as the upstream must receive it. */
function expectedUpstreamBody(sent: string): string {
  const body = JSON.parse(sent) as Record<string, unknown>;
  return JSON.stringify({ ...body, model: UPSTREAM_MODEL });
}

const BETAS = ['interleaved-thinking-2025-05-14', 'prompt-caching-2024-07-31'];

test('messages.create: the caller body reaches the upstream byte for byte (model mapped), the reply comes back unchanged, billed with cache writes and reads', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'Short answer.', reasoning: 'thinking it over', finishReason: 'stop_sequence', usage: { promptTokens: 1200, completionTokens: 40, cachedTokens: 300 }, cacheWriteTokens: 500 } as never);
  const sent: string[] = [];
  const sentHeaders: Headers[] = [];
  const message = (await client(key, sent, sentHeaders).beta.messages.create({ ...richRequest(false), betas: BETAS } as Anthropic.Beta.MessageCreateParamsNonStreaming)) as Anthropic.Beta.BetaMessage;

  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/messages');
  expect(upstream?.search).toBe('');
  expect(upstream?.headers['x-api-key']).toBe('sk-ant-upstream');
  expect(upstream?.headers['anthropic-beta']).toBe(BETAS.join(','));
  expect(upstream?.headers['anthropic-version']).toBe(sentHeaders[0]?.get('anthropic-version'));
  expect(sentHeaders[0]?.get('anthropic-version')).toEqual(expect.any(String));
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(sent).toHaveLength(1);
  expect(JSON.stringify(upstream?.body)).toBe(expectedUpstreamBody(sent[0] ?? ''));

  // The upstream's own reply: its id and model, the thinking block with its signature, the full usage object.
  expect(message).toEqual({
    id: expect.stringMatching(/^msg_mock/),
    type: 'message',
    role: 'assistant',
    model: UPSTREAM_MODEL,
    content: [
      { type: 'thinking', thinking: 'thinking it over', signature: 'mock-signature' },
      { type: 'text', text: 'Short answer.' },
    ],
    stop_reason: 'stop_sequence',
    stop_sequence: null,
    usage: { input_tokens: 400, output_tokens: 40, cache_creation_input_tokens: 500, cache_read_input_tokens: 300 },
  });
  const usage = { promptTokens: 1200, completionTokens: 40, cacheReadTokens: 300, cacheWriteTokens: 500 };
  expect(before - (await harness.wallet(userId))).toBe(costOf(usage));
});

test('the non-streaming reply bytes are the upstream bytes', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'exact bytes', usage: { promptTokens: 10, completionTokens: 2 } });
  const body = JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
  const response = await fetch(`${harness.dataPlane.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body });
  const text = await response.text();
  expect(response.status).toBe(200);
  const parsed = JSON.parse(text) as { id: string };
  // The mock serialises with JSON.stringify in this key order; the conversion path would have rebuilt it.
  expect(text).toBe(
    JSON.stringify({
      id: parsed.id,
      type: 'message',
      role: 'assistant',
      model: UPSTREAM_MODEL,
      content: [{ type: 'text', text: 'exact bytes' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }),
  );
  expect(parsed.id).toMatch(/^msg_mock/);
});

/** An event stream with the (random) message id replaced, to compare two runs of the same script. */
function withoutMessageId(text: string): string {
  return text.replace(/"id":"msg_mock[^"]*"/g, '"id":"msg"');
}

test('messages.stream: the SDK gets exactly the upstream events (compared with the mock answering directly), no [DONE], billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const script = { content: 'Streamed answer here.', reasoning: 'deep thought', usage: { promptTokens: 900, completionTokens: 25, cachedTokens: 100 }, cacheWriteTokens: 200 } as never;
  const requestBody = { model: MODEL, max_tokens: 512, stream: true, thinking: { type: 'enabled', budget_tokens: 256 }, messages: [{ role: 'user', content: 'stream please' }] };
  const headers = { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

  harness.mock.enqueue(script);
  const direct = await (await fetch(`${harness.mock.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...requestBody, model: UPSTREAM_MODEL }) })).text();
  harness.mock.enqueue(script);
  const before = await harness.wallet(userId);
  const relayed = await fetch(`${harness.dataPlane.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(requestBody) });
  const text = await relayed.text();
  expect(relayed.headers.get('content-type')).toContain('text/event-stream');
  expect(withoutMessageId(text)).toBe(withoutMessageId(direct));
  expect(text).not.toContain('[DONE]');
  expect(text.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  const usage = { promptTokens: 900, completionTokens: 25, cacheReadTokens: 100, cacheWriteTokens: 200 };
  expect(before - (await harness.wallet(userId))).toBe(costOf(usage));
  const event = await eventually(() => harness.usageEvent(relayed.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ channelId: 'claude', upstreamModel: UPSTREAM_MODEL, status: 'success', estimated: false, ...usage });

  // The SDK's stream helper assembles the same message from those events.
  harness.mock.enqueue(script);
  const sent: string[] = [];
  const stream = client(key, sent).beta.messages.stream({ ...richRequest(true), betas: BETAS } as Anthropic.Beta.MessageCreateParamsStreaming);
  const message = await stream.finalMessage();
  expect(message).toMatchObject({ id: expect.stringMatching(/^msg_mock/), type: 'message', role: 'assistant', model: UPSTREAM_MODEL, stop_reason: 'end_turn', stop_sequence: null });
  expect(message.content).toEqual([
    { type: 'thinking', thinking: 'deep thought', signature: 'mock-signature' },
    expect.objectContaining({ type: 'text', text: 'Streamed answer here.' }),
  ]);
  expect(message.usage).toEqual({ input_tokens: 600, output_tokens: 25, cache_creation_input_tokens: 200, cache_read_input_tokens: 100 });
  const upstream = harness.mock.requests.at(-1);
  expect(upstream?.headers['anthropic-beta']).toBe(BETAS.join(','));
  expect(JSON.stringify(upstream?.body)).toBe(expectedUpstreamBody(sent[0] ?? ''));
});

test('a mid-stream upstream error ends the stream with an Anthropic error event the SDK throws; the usage event records the failure', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'one two three four five', errorAfterChunks: 2 });
  const response = await fetch(`${harness.dataPlane.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const text = await response.text();
  expect(text).toContain('"text_delta","text":"one "');
  const frames = text.trimEnd().split('\n\n');
  const last = frames.at(-1) ?? '';
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  expect(JSON.parse(last.slice(last.indexOf('data: ') + 6))).toEqual({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('mock mid-stream failure') } });
  expect(text).not.toContain('message_stop');
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ channelId: 'claude', status: 'error', errorCode: 'upstream_error' });

  harness.mock.enqueue({ content: 'one two three', errorAfterChunks: 1 });
  const error: unknown = await client(key)
    .messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'go' }] })
    .finalMessage()
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.APIError);
});

test('an upstream cut (socket reset) mid-stream ends with an error event, billed from the streamed output', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'alpha beta gamma delta', resetAfterChunks: 2, chunkIntervalMs: 30 });
  const response = await fetch(`${harness.dataPlane.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const text = await response.text();
  expect(text).toContain('"text":"alpha "');
  expect(text.trimEnd().split('\n\n').at(-1)?.startsWith('event: error\n')).toBe(true);
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ status: 'error', estimated: true });
  expect(event.completionTokens).toBeGreaterThan(0);
});

test('a client disconnect mid-stream aborts the upstream and bills prompt + the output streamed so far', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: Array.from({ length: 40 }, (_, index) => `word${index}`).join(' '), chunkIntervalMs: 30 });
  const controller = new AbortController();
  const response = await fetch(`${harness.dataPlane.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'count' }] }),
    signal: controller.signal,
  });
  const requestId = response.headers.get('x-request-id') ?? '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let received = '';
  while ((received.match(/text_delta/g) ?? []).length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    received += Buffer.from(value).toString('utf8');
  }
  controller.abort();
  const event = await eventually(() => harness.usageEvent(requestId));
  expect(event).toMatchObject({ channelId: 'claude', status: 'client_aborted', estimated: true });
  expect(event.completionTokens).toBeGreaterThanOrEqual(3);
  expect(event.completionTokens).toBeLessThan(40);
  expect(before - (await harness.wallet(userId))).toBe(event.cost);
  expect(event.cost).toBeGreaterThan(0);
});

test('failover: anthropic channel 529 -> OpenAI channel (converted), and OpenAI channel 500 -> anthropic channel (native)', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ status: 529 }, { content: 'converted reply', usage: { promptTokens: 7, completionTokens: 2 } });
  const converted = await client(key).messages.create({ model: MODEL, max_tokens: 32, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] });
  expect(harness.mock.requests.map((request) => request.path)).toEqual(['/v1/messages', '/v1/chat/completions']);
  expect(converted).toMatchObject({ type: 'message', model: MODEL, content: [{ type: 'text', text: 'converted reply' }], usage: { input_tokens: 7, output_tokens: 2 } });

  harness.mock.reset();
  harness.mock.enqueue({ status: 500 }, { content: 'native reply', usage: { promptTokens: 7, completionTokens: 2 } });
  const sent: string[] = [];
  const message = await client(key, sent)
    .messages.stream({ model: OPENAI_FIRST_MODEL, max_tokens: 32, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] })
    .finalMessage();
  expect(harness.mock.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
  const upstream = harness.mock.requests[1]?.body as Record<string, unknown>;
  expect(JSON.stringify(upstream)).toBe(expectedUpstreamBody(sent[0] ?? ''));
  expect(message).toMatchObject({ id: expect.stringMatching(/^msg_mock/), model: UPSTREAM_MODEL, content: [{ type: 'text', text: 'native reply' }] });
});

test('upstream 4xx on the native path: Anthropic-shaped error, nothing charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 400, errorBody: { type: 'error', error: { type: 'invalid_request_error', message: 'thinking.budget_tokens: must be less than max_tokens' } } });
  const error: unknown = await client(key)
    .messages.create({ model: MODEL, max_tokens: 64, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'x' }] })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('budget_tokens') } });
  expect(await harness.wallet(userId)).toBe(before);
});

describe('governance', () => {
  function rule(fields: Partial<Omit<GovernanceRule, 'match'>> & { id: string; action: GovernanceRule['action']; match?: Partial<GovernanceRule['match']> }): GovernanceRule {
    return governanceRuleSchema.parse({ name: fields.id, order: 0, ...fields, match: { ...fields.match } });
  }

  beforeAll(async () => {
    await harness.publish({
      channels: channels(),
      prices: { [MODEL]: price, [OPENAI_FIRST_MODEL]: price, 'claude-cheap': price },
      governanceRules: [
        rule({ id: 'mask-email', order: 1, action: 'mask', maskWith: '<email>', match: { patterns: ['[\\w.+-]+@[\\w-]+\\.[\\w.]+'] } }),
        rule({ id: 'reroute', order: 2, action: 'reroute', rerouteModel: MODEL, match: { keywords: ['#native'], models: ['claude-cheap'] } }),
      ],
    });
  });

  test('masks apply to the native body too: the upstream never sees the masked text, and nothing else changes', async () => {
    const { key } = await seedUser(harness);
    harness.mock.enqueue({ content: 'ok' });
    const sent: string[] = [];
    const message = await client(key, sent).messages.create({
      model: MODEL,
      max_tokens: 16,
      top_k: 4,
      system: [{ type: 'text', text: 'reply to ops@example.org', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'mail me at jane@example.com' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { who: 'jane' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'found bob@example.net' }] }, { type: 'text', text: 'thanks' }] },
      ],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.model).toBe(UPSTREAM_MODEL);
    const upstream = harness.mock.requests[0];
    expect(upstream?.path).toBe('/v1/messages');
    const expected = JSON.parse(expectedUpstreamBody(sent[0] ?? '')) as Record<string, unknown>;
    const masked = JSON.stringify(expected).replace('ops@example.org', '<email>').replace('jane@example.com', '<email>').replace('bob@example.net', '<email>');
    expect(JSON.stringify(upstream?.body)).toBe(masked);
    expect(masked).not.toContain('@example');
  });

  test('a rerouted model is mapped to the rerouted route’s upstream model on the native path', async () => {
    const { key } = await seedUser(harness);
    harness.mock.enqueue({ content: 'ok' });
    const sent: string[] = [];
    await client(key, sent).messages.create({ model: 'claude-cheap', max_tokens: 16, messages: [{ role: 'user', content: 'route me #native' }] });
    const upstream = harness.mock.requests[0]?.body as Record<string, unknown>;
    expect(upstream.model).toBe(UPSTREAM_MODEL);
    expect(JSON.stringify(upstream)).toBe(JSON.stringify({ ...(JSON.parse(sent[0] ?? '{}') as object), model: UPSTREAM_MODEL }));
  });
});
