// The non-chat endpoints run the same governance and limits as chat: blocks before any money or upstream call, masks
// reach the upstream (JSON bodies and multipart text fields alike), a key's RPM cap applies, and uploads are capped
// after decompression.
import { gzipSync } from 'node:zlib';
import { governanceRuleSchema, type GovernanceRule } from '@nebulagate/schema';
import type { MultipartSummary } from '@nebulagate/testing';
import { toFile } from 'openai';
import { expectOpenAiError, post, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;

function rule(fields: Partial<Omit<GovernanceRule, 'match'>> & { id: string; action: GovernanceRule['action']; match?: Partial<GovernanceRule['match']> }): GovernanceRule {
  return governanceRuleSchema.parse({ name: fields.id, order: 0, ...fields, match: { ...fields.match } });
}

beforeAll(async () => {
  harness = await startHarness();
  await harness.publish({
    channels: [{ id: 'channel-openai', baseUrl: harness.mock.baseUrl, keys: ['sk-upstream-a'], models: ['text-embedding-3-small', 'whisper-1', 'jina-reranker-v2'] }],
    prices: {
      'text-embedding-3-small': { inputPerMillion: 100_000, outputPerMillion: 0 },
      'whisper-1': { inputPerMillion: 0, outputPerMillion: 0, perCall: 6_000 },
      'jina-reranker-v2': { inputPerMillion: 50_000, outputPerMillion: 0 },
    },
    settings: { maxRequestBodyBytes: 64 * 1024 },
    governanceRules: [
      rule({ id: 'block-secret-project', order: 1, action: 'block', blockMessage: 'Not allowed here.', match: { keywords: ['project nightingale'] } }),
      rule({ id: 'mask-email', order: 2, action: 'mask', maskWith: '<email>', match: { patterns: ['[\\w.+-]+@[\\w-]+\\.[\\w.]+'] } }),
    ],
  });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

test('a governance block on rerank: 400 content_blocked in OpenAI shape, no upstream call, no charge', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const body = JSON.stringify({ model: 'jina-reranker-v2', query: 'status of Project Nightingale', documents: ['a', 'b'] });
  const response = await post(harness, '/v1/rerank', { key, body });
  expect(response.status).toBe(400);
  expectOpenAiError(response.json, 'content_blocked');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});

test('masks reach the upstream: embeddings input and a multipart transcription prompt', async () => {
  const { key } = await seedUser(harness);
  const client = harness.openai(key);
  await client.embeddings.create({ model: 'text-embedding-3-small', input: 'write to jane.doe@example.com', encoding_format: 'float' });
  expect(harness.mock.requests[0]?.body).toMatchObject({ input: 'write to <email>' });

  const audio = Buffer.from('fake audio bytes '.repeat(50));
  await client.audio.transcriptions.create({ model: 'whisper-1', prompt: 'names: jane.doe@example.com', file: await toFile(audio, 'a.mp3') });
  const summary = harness.mock.requests[1]?.body as MultipartSummary;
  expect(summary.fields.prompt).toBe('names: <email>');
  expect(summary.files[0]?.size).toBe(audio.length);
});

test("a key's requests-per-minute cap applies to the non-chat endpoints too", async () => {
  const { key } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 1, tokensPerMinute: null, concurrentRequests: null } });
  const body = JSON.stringify({ model: 'text-embedding-3-small', input: 'one' });
  expect((await post(harness, '/v1/embeddings', { key, body })).status).toBe(200);
  const limited = await post(harness, '/v1/embeddings', { key, body });
  expect(limited.status).toBe(429);
  expectOpenAiError(limited.json, 'rate_limited');
  expect(harness.mock.requests).toHaveLength(1);
});

test('a multipart upload over the body cap (measured after decompression) is refused with 413 before any money moves', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const form = new FormData();
  form.append('model', 'whisper-1');
  form.append('file', new Blob([Buffer.alloc(200 * 1024)]), 'big.mp3');
  const request = new Request('http://local.invalid', { method: 'POST', body: form });
  const raw = Buffer.from(await request.arrayBuffer());
  const compressed = gzipSync(raw);
  expect(compressed.length).toBeLessThan(64 * 1024);
  const response = await post(harness, '/v1/audio/transcriptions', {
    key,
    body: compressed,
    headers: { 'content-type': request.headers.get('content-type') ?? '', 'content-encoding': 'gzip' },
  });
  expect(response.status).toBe(413);
  expectOpenAiError(response.json, 'body_too_large');
  expect(harness.mock.requests).toHaveLength(0);
  expect(await harness.wallet(userId)).toBe(before);
});
