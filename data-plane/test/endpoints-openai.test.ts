// The non-chat endpoints through the official openai SDK (and fetch for rerank): embeddings, images (generate and
// multipart edit), audio (binary speech, multipart transcription/translation), moderations, legacy completions (JSON
// and SSE), rerank on Jina and Cohere channels, failover, user 4xx, Azure deployments, endpoint/channel mismatch.
import { computeCost, type Snapshot, type TokenUsage } from '@nebulagate/schema';
import { mockSpeechBytes, type MultipartSummary, type SeedChannel } from '@nebulagate/testing';
import { createHash } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import { expectOpenAiError, post, PRICE, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
let snapshot: Snapshot;

const FREE = { inputPerMillion: 0, outputPerMillion: 0 };
const PRICES = {
  'text-embedding-3-small': { inputPerMillion: 100_000, outputPerMillion: 0 },
  'dall-e-3': { ...FREE, perCall: 40_000 },
  'gpt-image-1': { ...FREE, perCall: 30_000 },
  'tts-1': { ...FREE, perCall: 15_000 },
  'whisper-1': { ...FREE, perCall: 6_000 },
  'omni-moderation-latest': FREE,
  'gpt-3.5-turbo-instruct': PRICE,
  'jina-reranker-v2': { inputPerMillion: 50_000, outputPerMillion: 0, perCall: 1_000 },
  'rerank-v3.5': { inputPerMillion: 50_000, outputPerMillion: 0, perCall: 2_000 },
  'failover-embed': { inputPerMillion: 100_000, outputPerMillion: 0 },
  'failover-instruct': PRICE,
  'dead-first-embed': { inputPerMillion: 100_000, outputPerMillion: 0 },
  'deepseek-chat': PRICE,
  'azure-embed': { inputPerMillion: 100_000, outputPerMillion: 0 },
  'azure-chat': PRICE,
};

beforeAll(async () => {
  harness = await startHarness();
  const { mock } = harness;
  const channels: SeedChannel[] = [
    {
      id: 'channel-openai',
      baseUrl: mock.baseUrl,
      keys: ['sk-upstream-a'],
      models: ['text-embedding-3-small', 'dall-e-3', 'gpt-image-1', 'tts-1', 'whisper-1', 'omni-moderation-latest', 'gpt-3.5-turbo-instruct'],
      modelMapping: { 'gpt-image-1': 'gpt-image-1-upstream' },
    },
    { id: 'channel-first', baseUrl: mock.baseUrl, keys: ['sk-first'], models: ['failover-embed', 'failover-instruct'], priority: 10 },
    { id: 'channel-second', baseUrl: mock.baseUrl, keys: ['sk-second'], models: ['failover-embed', 'failover-instruct', 'dead-first-embed'], priority: 0 },
    // Nothing listens on port 9: connection refused.
    { id: 'channel-dead', baseUrl: 'http://127.0.0.1:9/v1', keys: ['sk-dead'], models: ['dead-first-embed'], priority: 10 },
    { id: 'channel-jina', type: 'jina', baseUrl: mock.baseUrl, keys: ['jina-key'], models: ['jina-reranker-v2'] },
    { id: 'channel-cohere', type: 'cohere', baseUrl: mock.origin, keys: ['cohere-key'], models: ['rerank-v3.5'] },
    { id: 'channel-deepseek', type: 'deepseek', baseUrl: mock.baseUrl, keys: ['sk-deepseek'], models: ['deepseek-chat'] },
    {
      id: 'channel-azure',
      type: 'azure-openai',
      baseUrl: mock.origin,
      keys: ['azure-key-1'],
      models: ['azure-embed', 'azure-chat'],
      modelMapping: { 'azure-embed': 'my-embed-deployment', 'azure-chat': 'my-chat-deployment' },
      extra: { parameterOverrides: { 'api-version': '2025-01-01-preview' } },
    },
  ];
  snapshot = await harness.publish({ channels, prices: PRICES });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(model: string, usage: Partial<TokenUsage>, calls = 1): number {
  const price = snapshot.prices[model];
  if (!price) throw new Error(`no price for ${model}`);
  const full: TokenUsage = { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...usage };
  return computeCost(full, { ...price, perCall: price.perCall * calls }).total;
}

function requestIdOf(response: Response | { headers: Headers }): string {
  return response.headers.get('x-request-id') ?? '';
}

test('embeddings: the upstream usage is billed exactly and recorded on the usage event', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data, response } = await harness
    .openai(key)
    .embeddings.create({ model: 'text-embedding-3-small', input: ['hello gateway world', 'second input'], encoding_format: 'float' })
    .withResponse();
  expect(data.data).toHaveLength(2);
  expect(data.data[0]?.embedding.length).toBeGreaterThan(0);
  const promptTokens = data.usage.prompt_tokens;
  expect(promptTokens).toBe(5);
  const expected = costOf('text-embedding-3-small', { promptTokens });
  expect(expected).toBeGreaterThan(0);
  expect(before - (await harness.wallet(userId))).toBe(expected);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({
    channelId: 'channel-openai',
    model: 'text-embedding-3-small',
    endpoint: '/v1/embeddings',
    status: 'success',
    promptTokens,
    completionTokens: 0,
    estimated: false,
    cost: expected,
  });
  expect(event?.attempts).toEqual([expect.objectContaining({ channelId: 'channel-openai', status: 200, errorCode: null })]);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/embeddings');
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-a');
  expect(upstream?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['hello gateway world', 'second input'] });
});

test('images.generate: n images billed perCall x n', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data, response } = await harness.openai(key).images.generate({ model: 'dall-e-3', prompt: 'a lighthouse at dusk', n: 2 }).withResponse();
  expect(data.data).toHaveLength(2);
  expect(Buffer.from(data.data?.[1]?.b64_json ?? '', 'base64').toString()).toBe('mock-image-1');
  const expected = costOf('dall-e-3', {}, 2);
  expect(expected).toBe(80_000);
  expect(before - (await harness.wallet(userId))).toBe(expected);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ endpoint: '/v1/images/generations', cost: expected, estimated: false, costBreakdown: expect.objectContaining({ perCall: 80_000 }) });
});

test('images.edit: the multipart upload reaches the upstream intact, with the mapped model', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const image = Buffer.alloc(70_000);
  for (let index = 0; index < image.length; index += 1) image[index] = (index * 7) % 256;
  const { data, response } = await harness
    .openai(key)
    .images.edit({ model: 'gpt-image-1', prompt: 'add a red hat', image: await toFile(image, 'cat.png', { type: 'image/png' }) })
    .withResponse();
  expect(data.data).toHaveLength(1);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/v1/images/edits');
  expect(String(upstream?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
  const summary = upstream?.body as MultipartSummary;
  expect(summary.fields).toMatchObject({ model: 'gpt-image-1-upstream', prompt: 'add a red hat' });
  expect(summary.files).toEqual([
    { field: 'image', filename: 'cat.png', type: 'image/png', size: image.length, sha256: createHash('sha256').update(image).digest('hex') },
  ]);
  expect(before - (await harness.wallet(userId))).toBe(30_000);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ endpoint: '/v1/images/edits', model: 'gpt-image-1', upstreamModel: 'gpt-image-1-upstream', cost: 30_000 });
});

test('audio.speech: the audio bytes stream through unchanged and the call is billed perCall', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const response = await harness.openai(key).audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello from the gateway' });
  expect(response.headers.get('content-type')).toBe('audio/mpeg');
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.equals(mockSpeechBytes('hello from the gateway'))).toBe(true);
  expect(before - (await harness.wallet(userId))).toBe(15_000);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ endpoint: '/v1/audio/speech', status: 'success', cost: 15_000 });
});

test('audio.transcriptions and translations: multipart upload, JSON and text replies', async () => {
  const { key } = await seedUser(harness);
  const audio = Buffer.from('pretend this is an mp3 file'.repeat(100));
  const client = harness.openai(key);
  const transcription = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(audio, 'speech.mp3', { type: 'audio/mpeg' }) });
  expect(transcription.text).toBe(`mock transcript of ${audio.length} bytes`);
  const summary = harness.mock.requests[0]?.body as MultipartSummary;
  expect(summary.fields.model).toBe('whisper-1');
  expect(summary.files[0]).toMatchObject({ field: 'file', filename: 'speech.mp3', size: audio.length });
  const translation = await client.audio.translations.create({ model: 'whisper-1', file: await toFile(audio, 'speech.mp3'), response_format: 'text' });
  expect(String(translation)).toBe(`mock translation of ${audio.length} bytes`);
  expect(harness.mock.requests[1]?.path).toBe('/v1/audio/translations');
});

test('moderations pass through', async () => {
  const { key } = await seedUser(harness);
  const result = await harness.openai(key).moderations.create({ model: 'omni-moderation-latest', input: ['a calm day', 'graphic violence'] });
  expect(result.results.map((entry) => entry.flagged)).toEqual([false, true]);
});

test('legacy completions, non-streaming: billed from the upstream usage', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data, response } = await harness.openai(key).completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello', max_tokens: 20 }).withResponse();
  expect(data.choices[0]?.text).toBe('Hello from the NebulaGate mock provider!');
  const usage = data.usage as NonNullable<typeof data.usage>;
  const expected = costOf('gpt-3.5-turbo-instruct', { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens });
  expect(before - (await harness.wallet(userId))).toBe(expected);
  expect(await harness.usageEvent(requestIdOf(response))).toMatchObject({ endpoint: '/v1/completions', stream: false, estimated: false, cost: expected });
  expect(harness.mock.requests[0]?.body).not.toHaveProperty('stream_options');
});

test('legacy completions, streaming: include_usage is forced upstream and stripped unless the client asked', async () => {
  const { key, userId } = await seedUser(harness);
  const client = harness.openai(key);
  const before = await harness.wallet(userId);
  const { data: stream, response } = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Stream please', stream: true }).withResponse();
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  let text = '';
  let sawUsage = false;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? '';
    if (chunk.usage) sawUsage = true;
  }
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  expect(sawUsage).toBe(false);
  expect(harness.mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  const event = await harness.usageEvent(requestIdOf(response));
  // The mock counts one token per word: 2 prompt words, 6 reply words.
  expect(event).toMatchObject({ stream: true, status: 'success', promptTokens: 2, completionTokens: 6, estimated: false });
  expect(before - (await harness.wallet(userId))).toBe(costOf('gpt-3.5-turbo-instruct', { promptTokens: 2, completionTokens: 6 }));

  const asked = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Stream please', stream: true, stream_options: { include_usage: true } });
  let usage: { prompt_tokens: number; completion_tokens: number } | null = null;
  for await (const chunk of asked) if (chunk.usage) usage = chunk.usage;
  expect(usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 6 });
});

test('rerank on a Jina channel: Cohere/Jina body, billed from usage.total_tokens plus perCall', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const body = { model: 'jina-reranker-v2', query: 'red apple', documents: ['a green pear', 'a red apple pie', 'apple juice'], top_n: 2 };
  const response = await post(harness, '/v1/rerank', { key, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  const json = response.json as { results: Array<{ index: number; relevance_score: number }>; usage: { total_tokens: number } };
  expect(json.results.map((result) => result.index)).toEqual([1, 2]);
  expect(harness.mock.requests[0]).toMatchObject({ path: '/v1/rerank', body: { ...body, model: 'jina-reranker-v2' } });
  expect(harness.mock.requests[0]?.headers.authorization).toBe('Bearer jina-key');
  const expected = costOf('jina-reranker-v2', { promptTokens: json.usage.total_tokens });
  expect(before - (await harness.wallet(userId))).toBe(expected);
  expect(await harness.usageEvent(requestIdOf(response))).toMatchObject({ endpoint: '/v1/rerank', promptTokens: json.usage.total_tokens, estimated: false, cost: expected });
});

test('rerank on a Cohere channel goes to /v2/rerank; without token counts the usage is estimated and flagged', async () => {
  const { key } = await seedUser(harness);
  const body = JSON.stringify({ model: 'rerank-v3.5', query: 'red apple', documents: ['a red apple', 'a pear'], top_n: 1 });
  const response = await post(harness, '/v1/rerank', { key, body });
  expect(response.status).toBe(200);
  expect(response.json).toMatchObject({ results: [{ index: 0 }], meta: { billed_units: { search_units: 1 } } });
  expect(harness.mock.requests[0]?.path).toBe('/v2/rerank');
  expect(harness.mock.requests[0]?.headers.authorization).toBe('Bearer cohere-key');
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ channelId: 'channel-cohere', estimated: true, promptTokens: Math.ceil(Buffer.byteLength(body) / 4) });
});

test('an endpoint whose channels do not serve it: a clear 400 in OpenAI shape, no upstream call, no charge', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const response = await post(harness, '/v1/embeddings', { key, body: JSON.stringify({ model: 'deepseek-chat', input: 'hi' }) });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'invalid_request');
  expect((response.json as { error: { message: string } }).error.message).toContain('/v1/embeddings');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
  await expect(harness.openai(key).embeddings.create({ model: 'deepseek-chat', input: 'hi', encoding_format: 'float' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
});

test('an upstream 500 fails over to the next channel before anything reached the client', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 500 });
  const { data, response } = await harness.openai(key).embeddings.create({ model: 'failover-embed', input: 'one two three', encoding_format: 'float' }).withResponse();
  expect(data.usage.prompt_tokens).toBe(3);
  expect(harness.mock.requests.map((request) => request.headers.authorization)).toEqual(['Bearer sk-first', 'Bearer sk-second']);
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ channelId: 'channel-second', status: 'success' });
  expect(event?.attempts.map((attempt) => [attempt.channelId, attempt.status])).toEqual([
    ['channel-first', 500],
    ['channel-second', 200],
  ]);
  expect(before - (await harness.wallet(userId))).toBe(costOf('failover-embed', { promptTokens: 3 }));
});

test('a completion stream that fails before its first frame is retried on the next channel', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ errorAfterChunks: 0 });
  const { data: stream, response } = await harness.openai(key).completions.create({ model: 'failover-instruct', prompt: 'hello there', stream: true }).withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event).toMatchObject({ channelId: 'channel-second', status: 'success', estimated: false });
  expect(event?.attempts.map((attempt) => [attempt.channelId, attempt.errorCode])).toEqual([
    ['channel-first', 'upstream_error'],
    ['channel-second', null],
  ]);
});

test('a connect error moves on to the next channel', async () => {
  const { key } = await seedUser(harness);
  const { response } = await harness.openai(key).embeddings.create({ model: 'dead-first-embed', input: 'hi', encoding_format: 'float' }).withResponse();
  const event = await harness.usageEvent(requestIdOf(response));
  expect(event?.attempts.map((attempt) => [attempt.channelId, attempt.status, attempt.errorCode])).toEqual([
    ['channel-dead', null, 'upstream_error'],
    ['channel-second', 200, null],
  ]);
});

test("the user's own 4xx is not retried and costs nothing", async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ status: 400, errorBody: { error: { message: 'input is too long', type: 'invalid_request_error', param: 'input', code: null } } });
  const response = await post(harness, '/v1/embeddings', { key, body: JSON.stringify({ model: 'failover-embed', input: 'x' }) });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'invalid_request');
  expect(harness.mock.requests).toHaveLength(1);
  expect(await harness.wallet(userId)).toBe(before);
});

test('azure channel: deployment URL, api-version from the channel override, api-key header and no Authorization', async () => {
  const { key } = await seedUser(harness);
  const client = harness.openai(key);
  const embedding = await client.embeddings.create({ model: 'azure-embed', input: 'azure text', encoding_format: 'float' });
  expect(embedding.data).toHaveLength(1);
  const upstream = harness.mock.requests[0];
  expect(upstream?.path).toBe('/openai/deployments/my-embed-deployment/embeddings');
  expect(upstream?.search).toBe('?api-version=2025-01-01-preview');
  expect(upstream?.headers['api-key']).toBe('azure-key-1');
  expect(upstream?.headers.authorization).toBeUndefined();
  expect(upstream?.body).not.toHaveProperty('api-version');

  const chat = await client.chat.completions.create({ model: 'azure-chat', messages: [{ role: 'user', content: 'hello azure' }] });
  expect(chat.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
  const chatUpstream = harness.mock.requests[1];
  expect(chatUpstream?.path).toBe('/openai/deployments/my-chat-deployment/chat/completions');
  expect(chatUpstream?.search).toMatch(/^\?api-version=\d{4}-\d{2}-\d{2}/);
  expect(chatUpstream?.headers['api-key']).toBe('azure-key-1');
  expect(chatUpstream?.headers.authorization).toBeUndefined();
});

test('a transcription sent as JSON is refused with 415 before any money moves', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const response = await post(harness, '/hf/v1/audio/transcriptions', { key, body: JSON.stringify({ model: 'whisper-1' }) });
  expect(response.status).toBe(415);
  expectOpenAiError(response.json, 'unsupported_media_type');
  expect(await harness.wallet(userId)).toBe(before);
  expect(harness.mock.requests).toHaveLength(0);
});

test.each([
  ['/v1/images/generations', { model: 'dall-e-3', prompt: 'x', n: 129 }, 'n'],
  ['/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'x', max_tokens: -1 }, 'max_tokens'],
  ['/v1/embeddings', { input: 'no model' }, 'model'],
])('bad input on %s is a 400 naming %s, before any upstream call', async (path, body, param) => {
  const { key } = await seedUser(harness);
  const response = await post(harness, path, { key, body: JSON.stringify(body) });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'invalid_request');
  expect((response.json as { error: { param: string } }).error.param).toBe(param);
  expect(harness.mock.requests).toHaveLength(0);
});

test('streaming is refused outside completions (an SSE image or transcription reply would go unbilled): 400, nothing upstream, no money', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const client = harness.openai(key);
  const image = await client.images.generate({ model: 'gpt-image-1', prompt: 'a cat', stream: true }).catch((caught: unknown) => caught);
  expect(image).toBeInstanceOf(OpenAI.BadRequestError);
  const audio = Buffer.from('fake mp3 bytes');
  const transcription = await client.audio.transcriptions
    .create({ model: 'whisper-1', file: await toFile(audio, 'speech.mp3', { type: 'audio/mpeg' }), stream: true })
    .catch((caught: unknown) => caught);
  expect(transcription).toBeInstanceOf(OpenAI.BadRequestError);
  expect((transcription as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('stream');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});
