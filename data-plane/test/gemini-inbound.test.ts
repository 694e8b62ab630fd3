// Callers speaking Gemini (plain fetch on the Gemini REST wire, as a Gemini client would): generateContent and
// streamGenerateContent?alt=sse on an OpenAI-wire channel and on a gemini channel, tools both ways, exact billing,
// Gemini-shaped errors, countTokens (local, free), embedContent (billed from upstream usage) and the model list.
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import { PRICE, seedUser, startHarness, type Harness } from './harness';

const OPENAI_MODEL = 'gpt-4o-mini';
const GEMINI_MODEL = 'gemini-2.5-flash';
const EMBEDDING_MODEL = 'text-embedding-3-small';
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [
      { id: 'channel-a', baseUrl: harness.mock.baseUrl, keys: ['sk-upstream-a'], models: [OPENAI_MODEL, EMBEDDING_MODEL] },
      { id: 'gemini-a', type: 'gemini', baseUrl: harness.mock.origin, keys: ['AIza-upstream-a'], models: [GEMINI_MODEL] },
    ],
    prices: { [OPENAI_MODEL]: PRICE, [GEMINI_MODEL]: PRICE, [EMBEDDING_MODEL]: PRICE },
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(promptTokens: number, completionTokens: number): number {
  return computeCost({ promptTokens, completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, fullPrice).total;
}

interface GeminiCall {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function gemini(path: string, init: { key?: string; queryKey?: string; body?: unknown; method?: 'GET' | 'POST' } = {}): Promise<GeminiCall> {
  const url = new URL(`${harness.dataPlane.url}${path}`);
  if (init.queryKey) url.searchParams.set('key', init.queryKey);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key) headers['x-goog-api-key'] = init.key;
  const method = init.method ?? 'POST';
  const response = await fetch(url, { method, headers, body: method === 'POST' ? (typeof init.body === 'string' ? init.body : JSON.stringify(init.body ?? {})) : undefined });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Data-only SSE frames, as a Gemini client reads them: no event names, no [DONE]. */
function sseFrames(text: string): Array<Record<string, unknown>> {
  expect(text).not.toContain('event:');
  expect(text).not.toContain('[DONE]');
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      return JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>;
    });
}

function geminiError(json: unknown, code: number, status: string): void {
  expect(json).toEqual({ error: { code, message: expect.any(String), status } });
}

type Candidate = { content: { role: string; parts: Array<Record<string, unknown>> }; finishReason?: string };

function candidateOf(frame: unknown): Candidate {
  return ((frame as { candidates: Candidate[] }).candidates[0] as Candidate);
}

test('generateContent on an OpenAI channel: Gemini reply, converted upstream body, billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ usage: { promptTokens: 21, completionTokens: 6 } });
  const response = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, {
    key,
    body: {
      systemInstruction: { parts: [{ text: 'be kind' }] },
      contents: [{ role: 'user', parts: [{ text: 'say hello' }] }],
      generationConfig: { maxOutputTokens: 64, temperature: 0.5, stopSequences: ['END'] },
    },
  });
  expect(response.status).toBe(200);
  expect(response.json).toEqual({
    candidates: [{ content: { role: 'model', parts: [{ text: 'Hello from the NebulaGate mock provider!' }] }, finishReason: 'STOP', index: 0 }],
    modelVersion: OPENAI_MODEL,
    responseId: expect.any(String),
    usageMetadata: { promptTokenCount: 21, candidatesTokenCount: 6, totalTokenCount: 27 },
  });
  expect(before - (await harness.wallet(userId))).toBe(costOf(21, 6));
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ model: OPENAI_MODEL, channelId: 'channel-a', status: 'success', promptTokens: 21, completionTokens: 6, cost: costOf(21, 6) });
  expect(harness.mock.requests[0]?.path).toBe('/v1/chat/completions');
  expect(harness.mock.requests[0]?.body).toEqual({
    model: OPENAI_MODEL,
    messages: [
      { role: 'system', content: 'be kind' },
      { role: 'user', content: 'say hello' },
    ],
    max_tokens: 64,
    temperature: 0.5,
    stop: ['END'],
  });
});

test('streamGenerateContent?alt=sse with ?key=: data-only frames, usage on the last frame, billed exactly', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'one two three four', usage: { promptTokens: 40, completionTokens: 4 } });
  const response = await gemini(`/v1beta/models/${OPENAI_MODEL}:streamGenerateContent?alt=sse`, { queryKey: key, body: { contents: [{ parts: [{ text: 'count' }] }] } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const frames = sseFrames(response.text);
  const text = frames.map((frame) => candidateOf(frame).content.parts.map((part) => part.text ?? '').join('')).join('');
  expect(text).toBe('one two three four');
  expect(frames.slice(0, -1).every((frame) => candidateOf(frame).finishReason === undefined && frame.usageMetadata === undefined)).toBe(true);
  const last = frames[frames.length - 1];
  expect(candidateOf(last).finishReason).toBe('STOP');
  expect(last?.usageMetadata).toEqual({ promptTokenCount: 40, candidatesTokenCount: 4, totalTokenCount: 44 });
  expect(new Set(frames.map((frame) => frame.responseId)).size).toBe(1);
  expect(before - (await harness.wallet(userId))).toBe(costOf(40, 4));
  // The gateway asked the upstream for usage and kept the usage-only chunk to itself.
  expect(harness.mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

test('tools on an OpenAI channel: functionDeclarations out, a whole functionCall back (stream and JSON)', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const request = {
    contents: [{ role: 'user', parts: [{ text: 'weather in Paris?' }] }],
    tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'weather by city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] }],
    toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
  };
  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], usage: { promptTokens: 30, completionTokens: 9 } });
  const streamed = await gemini(`/v1beta/models/${OPENAI_MODEL}:streamGenerateContent?alt=sse`, { key, body: request });
  expect(streamed.status).toBe(200);
  const last = sseFrames(streamed.text).at(-1);
  expect(candidateOf(last)).toMatchObject({ finishReason: 'STOP', content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'c' } } }] } });
  expect(harness.mock.requests[0]?.body).toMatchObject({
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    tool_choice: 'auto',
  });

  harness.mock.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { promptTokens: 30, completionTokens: 5 } });
  const json = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, { key, body: request });
  expect(candidateOf(json.json).content.parts).toEqual([{ functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: expect.any(String) } }]);

  harness.mock.enqueue({ content: 'It is 21 degrees.', usage: { promptTokens: 45, completionTokens: 5 } });
  const answer = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, {
    key,
    body: {
      ...request,
      contents: [
        ...request.contents,
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
      ],
    },
  });
  expect(candidateOf(answer.json).content.parts).toEqual([{ text: 'It is 21 degrees.' }]);
  expect(harness.mock.requests[2]?.body).toMatchObject({
    messages: [
      { role: 'user', content: 'weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1_0', content: '{"temp":21}' },
    ],
  });
  expect(before - (await harness.wallet(userId))).toBe(costOf(30, 9) + costOf(30, 5) + costOf(45, 5));
});

test('Gemini caller on a gemini channel: served natively (no conversion), thoughts kept apart, billed with thoughts', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: 'fine thanks', reasoning: 'be polite', usage: { promptTokens: 10, completionTokens: 6 } });
  const response = await gemini(`/v1beta/models/${GEMINI_MODEL}:streamGenerateContent?alt=sse`, { key, body: { contents: [{ parts: [{ text: 'how are you' }] }] } });
  expect(response.status).toBe(200);
  const frames = sseFrames(response.text);
  const parts = frames.flatMap((frame) => candidateOf(frame).content.parts);
  expect(parts.filter((part) => part.thought === true).map((part) => part.text).join('')).toBe('be polite');
  expect(parts.filter((part) => part.thought !== true).map((part) => part.text ?? '').join('')).toBe('fine thanks');
  // Thoughts (2 words in the mock) are reported apart from the candidates, as Gemini does.
  expect(frames.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 2, totalTokenCount: 16 });
  expect(harness.mock.requests[0]?.path).toBe(`/v1beta/models/${GEMINI_MODEL}:streamGenerateContent`);
  expect(harness.mock.requests[0]?.headers['x-goog-api-key']).toBe('AIza-upstream-a');
  // The caller's own body, unchanged (native pass-through: see native-passthrough-gemini.test.ts).
  expect(harness.mock.requests[0]?.body).toEqual({ contents: [{ parts: [{ text: 'how are you' }] }] });
  expect(before - (await harness.wallet(userId))).toBe(costOf(10, 6));
});

test('errors come in Gemini shape before any upstream call, and move no money', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const body = { contents: [{ parts: [{ text: 'x' }] }] };

  const noSse = await gemini(`/v1beta/models/${OPENAI_MODEL}:streamGenerateContent`, { key, body });
  expect(noSse.status).toBe(400);
  geminiError(noSse.json, 400, 'INVALID_ARGUMENT');
  expect((noSse.json as { error: { message: string } }).error.message).toContain('alt=sse');

  const badKey = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, { key: 'sk-not-a-real-key', body });
  expect(badKey.status).toBe(401);
  geminiError(badKey.json, 401, 'UNAUTHENTICATED');

  const unknownModel = await gemini('/v1beta/models/no-such-model:generateContent', { key, body });
  expect(unknownModel.status).toBe(404);
  geminiError(unknownModel.json, 404, 'NOT_FOUND');

  const unsupportedTool = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, { key, body: { ...body, tools: [{ googleSearch: {} }] } });
  expect(unsupportedTool.status).toBe(400);
  geminiError(unsupportedTool.json, 400, 'INVALID_ARGUMENT');
  expect(unsupportedTool.headers.get('x-should-retry')).toBe('false');

  const badJson = await gemini(`/v1beta/models/${OPENAI_MODEL}:generateContent`, { key, body: '{"contents": [' });
  expect(badJson.status).toBe(400);
  geminiError(badJson.json, 400, 'INVALID_ARGUMENT');

  const unknownMethod = await gemini(`/v1beta/models/${OPENAI_MODEL}:batchEmbedContents`, { key, body });
  expect(unknownMethod.status).toBe(404);
  geminiError(unknownMethod.json, 404, 'NOT_FOUND');

  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('an upstream failure mid-stream ends the stream with a Gemini error frame', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'one two three four', errorAfterChunks: 2 });
  const response = await gemini(`/v1beta/models/${OPENAI_MODEL}:streamGenerateContent?alt=sse`, { key, body: { contents: [{ parts: [{ text: 'x' }] }] } });
  const frames = sseFrames(response.text);
  expect(frames.at(-1)).toEqual({ error: { code: 502, message: expect.stringContaining('during the stream'), status: 'UNAVAILABLE' } });
});

test('countTokens is a local estimate: no upstream call, no charge', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const response = await gemini(`/v1beta/models/${OPENAI_MODEL}:countTokens`, { key, body: { contents: [{ parts: [{ text: 'a fairly short sentence to count' }] }] } });
  expect(response.status).toBe(200);
  expect(response.json).toEqual({ totalTokens: expect.any(Number) });
  expect((response.json as { totalTokens: number }).totalTokens).toBeGreaterThan(0);
  const wrapped = await gemini(`/v1beta/models/${OPENAI_MODEL}:countTokens`, {
    key,
    body: { generateContentRequest: { model: `models/${OPENAI_MODEL}`, contents: [{ parts: [{ text: 'a fairly short sentence to count' }] }] } },
  });
  expect(wrapped.json).toEqual(response.json);
  const unknown = await gemini('/v1beta/models/no-such-model:countTokens', { key, body: { contents: [] } });
  geminiError(unknown.json, 404, 'NOT_FOUND');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('embedContent: OpenAI embeddings upstream, Gemini embedding back, billed from the upstream usage', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ usage: { promptTokens: 17, completionTokens: 0 } });
  const response = await gemini(`/v1beta/models/${EMBEDDING_MODEL}:embedContent`, {
    key,
    body: { model: `models/${EMBEDDING_MODEL}`, content: { parts: [{ text: 'embed this' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 3 },
  });
  expect(response.status).toBe(200);
  expect(response.json).toEqual({ embedding: { values: [0.1, 0.1, -0.5] } });
  expect(harness.mock.requests[0]?.path).toBe('/v1/embeddings');
  expect(harness.mock.requests[0]?.body).toEqual({ model: EMBEDDING_MODEL, input: 'embed this', dimensions: 3 });
  expect(before - (await harness.wallet(userId))).toBe(costOf(17, 0));
  expect(await harness.usageEvent(response.headers.get('x-request-id') ?? '')).toMatchObject({ promptTokens: 17, completionTokens: 0, estimated: false, cost: costOf(17, 0) });

  const image = await gemini(`/v1beta/models/${EMBEDDING_MODEL}:embedContent`, { key, body: { content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'AA' } }] } } });
  expect(image.status).toBe(400);
  geminiError(image.json, 400, 'INVALID_ARGUMENT');
  expect(harness.mock.requests).toHaveLength(1);
});

test('model list and model get in Gemini shape, narrowed by the key allow-list', async () => {
  const { key } = await seedUser(harness);
  const list = await gemini('/v1beta/models', { key, method: 'GET' });
  expect(list.status).toBe(200);
  expect(list.json).toEqual({
    models: [GEMINI_MODEL, OPENAI_MODEL, EMBEDDING_MODEL].map((id) => ({ name: `models/${id}`, baseModelId: id, displayName: id, supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'] })),
  });
  const one = await gemini(`/v1beta/models/${GEMINI_MODEL}`, { key, method: 'GET' });
  expect(one.json).toMatchObject({ name: `models/${GEMINI_MODEL}` });

  const narrowed = await seedUser(harness, 10_000_000, { models: [OPENAI_MODEL] });
  const narrowedList = await gemini('/v1beta/models', { key: narrowed.key, method: 'GET' });
  expect((narrowedList.json as { models: Array<{ name: string }> }).models.map((model) => model.name)).toEqual([`models/${OPENAI_MODEL}`]);
  const refused = await gemini(`/v1beta/models/${GEMINI_MODEL}`, { key: narrowed.key, method: 'GET' });
  expect(refused.status).toBe(403);
  geminiError(refused.json, 403, 'PERMISSION_DENIED');
});
