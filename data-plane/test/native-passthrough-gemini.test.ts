// A Gemini REST caller on a gemini-type channel goes native: the upstream gets the caller's body unchanged (the mapped
// model in the path), the caller gets the upstream's JSON and SSE bytes unchanged (compared with the mock answering
// directly), billed from usageMetadata (thoughts and cached tokens included). A mid-stream error frame ends the stream
// with a Gemini error frame; a 503 fails over to an OpenAI channel (converted); what only Gemini carries works natively.
import { computeCost, governanceRuleSchema, type SnapshotPrice, type TokenUsage } from '@nebulagate/schema';
import { eventually, seedUser, startHarness, type Harness } from './harness';

const MODEL = 'gemini-native';
const UPSTREAM_MODEL = 'gemini-2.5-pro';
const price: SnapshotPrice = { inputPerMillion: 1_250_000, outputPerMillion: 10_000_000, cacheReadPerMillion: 125_000, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [
      { id: 'gemini', type: 'gemini', baseUrl: harness.mock.origin, keys: ['AIza-upstream-native'], models: [MODEL], priority: 10, modelMapping: { [MODEL]: UPSTREAM_MODEL } },
      { id: 'openai', baseUrl: harness.mock.baseUrl, keys: ['sk-openai-upstream'], models: [MODEL], priority: 0, modelMapping: { [MODEL]: 'gpt-4o-mini' } },
    ],
    prices: { [MODEL]: price },
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(usage: TokenUsage): number {
  return computeCost(usage, price).total;
}

/** Fields the conversion path cannot carry (and would refuse), in the order a client wrote them. */
const RICH_BODY = {
  contents: [
    { role: 'user', parts: [{ text: 'plan a trip, ünïcode ✓' }] },
    { role: 'model', parts: [{ text: 'earlier answer', thoughtSignature: 'c2lnbmF0dXJl' }] },
    { role: 'user', parts: [{ text: 'and the budget?' }] },
  ],
  systemInstruction: { parts: [{ text: 'be brief' }] },
  tools: [{ googleSearch: {} }],
  safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
  generationConfig: { maxOutputTokens: 256, temperature: 0.2, seed: 7, thinkingConfig: { thinkingBudget: 128, includeThoughts: true } },
};

async function call(path: string, key: string, body: unknown): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${harness.dataPlane.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': key }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The same script answered by the mock directly, for a byte comparison. */
async function direct(path: string, body: unknown): Promise<string> {
  const response = await fetch(`${harness.mock.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.text();
}

const script = { content: 'Three days in Lisbon.', reasoning: 'weighing options', usage: { promptTokens: 800, completionTokens: 30, cachedTokens: 200 } };
const usage = { promptTokens: 800, completionTokens: 30, cacheReadTokens: 200, cacheWriteTokens: 0 };

test('generateContent: the caller body reaches the upstream unchanged, the reply bytes come back unchanged, billed from usageMetadata', async () => {
  const { key, userId } = await seedUser(harness);
  harness.mock.enqueue(script);
  const expected = await direct(`/v1beta/models/${UPSTREAM_MODEL}:generateContent`, RICH_BODY);
  harness.mock.reset();
  harness.mock.enqueue(script);
  const before = await harness.wallet(userId);
  const response = await call(`/v1beta/models/${MODEL}:generateContent`, key, RICH_BODY);
  expect(response.status).toBe(200);
  expect(response.text).toBe(expected);
  expect(JSON.parse(response.text)).toMatchObject({ modelVersion: UPSTREAM_MODEL, usageMetadata: { thoughtsTokenCount: 2, cachedContentTokenCount: 200 } });

  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe(`/v1beta/models/${UPSTREAM_MODEL}:generateContent`);
  expect(upstream?.headers['x-goog-api-key']).toBe('AIza-upstream-native');
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(JSON.stringify(upstream?.body)).toBe(JSON.stringify(RICH_BODY));
  expect(before - (await harness.wallet(userId))).toBe(costOf(usage));
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ channelId: 'gemini', upstreamModel: UPSTREAM_MODEL, status: 'success', estimated: false, ...usage });
});

test('streamGenerateContent?alt=sse: the frames come back byte for byte, without [DONE], billed from the last usageMetadata', async () => {
  const { key, userId } = await seedUser(harness);
  const body = { ...RICH_BODY, tools: undefined };
  harness.mock.enqueue(script);
  const expected = await direct(`/v1beta/models/${UPSTREAM_MODEL}:streamGenerateContent?alt=sse`, body);
  harness.mock.reset();
  harness.mock.enqueue(script);
  const before = await harness.wallet(userId);
  const response = await call(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, key, body);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  expect(response.text).toBe(expected);
  expect(response.text).not.toContain('[DONE]');
  expect(harness.mock.requests[0]?.search).toBe('?alt=sse');
  expect(JSON.stringify(harness.mock.requests[0]?.body)).toBe(JSON.stringify(body));
  expect(before - (await harness.wallet(userId))).toBe(costOf(usage));
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ stream: true, status: 'success', estimated: false, ...usage });
});

test('a mid-stream upstream error frame ends the stream with a Gemini error frame', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'one two three four', errorAfterChunks: 2 });
  const response = await call(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, key, { contents: [{ parts: [{ text: 'go' }] }] });
  const frames = response.text.trimEnd().split('\n\n');
  expect(frames).toHaveLength(3);
  expect(frames[0]).toContain('"text":"one "');
  const last = JSON.parse((frames[2] ?? '').slice('data: '.length)) as unknown;
  expect(last).toEqual({ error: { code: expect.any(Number), message: expect.stringContaining('mock mid-stream failure'), status: expect.any(String) } });
  const event = await eventually(() => harness.usageEvent(response.headers.get('x-request-id') ?? ''));
  expect(event).toMatchObject({ channelId: 'gemini', status: 'error', errorCode: 'upstream_error' });
});

test('failover: gemini channel 503 -> OpenAI channel (converted); Gemini-only fields are refused there, not dropped', async () => {
  const { key, userId } = await seedUser(harness);
  harness.mock.enqueue({ status: 503 }, { content: 'converted reply', usage: { promptTokens: 5, completionTokens: 2 } });
  const response = await call(`/v1beta/models/${MODEL}:generateContent`, key, { contents: [{ parts: [{ text: 'hi' }] }] });
  expect(response.status).toBe(200);
  expect(harness.mock.requests.map((request) => request.path)).toEqual([`/v1beta/models/${UPSTREAM_MODEL}:generateContent`, '/v1/chat/completions']);
  expect(JSON.parse(response.text)).toMatchObject({ candidates: [{ content: { role: 'model', parts: [{ text: 'converted reply' }] } }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2 } });

  harness.mock.reset();
  harness.mock.enqueue({ status: 503 });
  const before = await harness.wallet(userId);
  const refused = await call(`/v1beta/models/${MODEL}:generateContent`, key, RICH_BODY);
  expect(refused.status).toBe(400);
  expect(JSON.parse(refused.text)).toEqual({ error: { code: 400, message: expect.any(String), status: 'INVALID_ARGUMENT' } });
  expect(harness.mock.requests).toHaveLength(1);
  expect(await harness.wallet(userId)).toBe(before);
});

test('governance masks apply to the native Gemini body (contents and systemInstruction)', async () => {
  await harness.publish({
    channels: [{ id: 'gemini', type: 'gemini', baseUrl: harness.mock.origin, keys: ['AIza-upstream-native'], models: [MODEL], modelMapping: { [MODEL]: UPSTREAM_MODEL } }],
    prices: { [MODEL]: price },
    governanceRules: [governanceRuleSchema.parse({ id: 'mask-card', name: 'mask-card', order: 1, action: 'mask', maskWith: '[card]', match: { patterns: ['\\d{4}(-\\d{4}){3}'] } })],
  });
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'noted' });
  const body = { ...RICH_BODY, systemInstruction: { parts: [{ text: 'card 4111-1111-1111-1111 on file' }] }, contents: [{ role: 'user', parts: [{ text: 'pay with 4242-4242-4242-4242' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] }] };
  const response = await call(`/v1beta/models/${MODEL}:generateContent`, key, body);
  expect(response.status).toBe(200);
  const expected = JSON.stringify(body).replace('4111-1111-1111-1111', '[card]').replace('4242-4242-4242-4242', '[card]');
  expect(JSON.stringify(harness.mock.requests[0]?.body)).toBe(expected);
});
