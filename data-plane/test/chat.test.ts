// The happy path through the official openai SDK: JSON and SSE, billing exactly computeCost(usage, price), one usage job.
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import { PRICE, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
const fullPrice: SnapshotPrice = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.mock.reset());

function costOf(usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens?: number } | null }): number {
  return computeCost(
    { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? 0, cacheWriteTokens: 0 },
    fullPrice,
  ).total;
}

test('non-streaming chat returns the mock answer, bills computeCost(usage) and queues one usage job', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data, response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say hello to the gateway' }] })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
  expect(data.usage).toBeDefined();
  const requestId = response.headers.get('x-request-id') ?? '';
  expect(requestId).toMatch(/^[A-Za-z0-9_-]+$/);

  const usage = data.usage as NonNullable<typeof data.usage>;
  const expectedCost = costOf(usage);
  expect(expectedCost).toBeGreaterThan(0);
  expect(before - (await harness.wallet(userId))).toBe(expectedCost);

  const event = await harness.usageEvent(requestId);
  expect(event).toMatchObject({
    requestId,
    userId,
    channelId: 'channel-a',
    model: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini',
    stream: false,
    status: 'success',
    httpStatus: 200,
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    estimated: false,
    cost: expectedCost,
  });
  expect(event?.reserved).toBeGreaterThanOrEqual(expectedCost);

  // The upstream got the channel's key, never the client's, and only allow-listed headers.
  const upstream = harness.mock.requests[0];
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-a');
  expect(JSON.stringify(upstream?.headers)).not.toContain(key);
  expect(upstream?.headers['x-stainless-lang']).toBeUndefined();
});

test('streaming with include_usage passes the usage chunk through and bills the upstream usage', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data: stream, response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream please' }], stream: true, stream_options: { include_usage: true } })
    .withResponse();
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  expect(response.headers.get('x-accel-buffering')).toBe('no');
  expect(response.headers.get('cache-control')).toBe('no-cache');
  expect(response.headers.get('content-encoding')).toBeNull();
  let text = '';
  let usage: { prompt_tokens: number; completion_tokens: number } | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  expect(usage).not.toBeNull();
  const requestId = response.headers.get('x-request-id') ?? '';
  const expectedCost = costOf(usage as NonNullable<typeof usage>);
  expect(before - (await harness.wallet(userId))).toBe(expectedCost);
  const event = await harness.usageEvent(requestId);
  expect(event).toMatchObject({ stream: true, status: 'success', estimated: false, cost: expectedCost, completionTokens: usage?.completion_tokens });
});

test('streaming without include_usage: the gateway still asks upstream for usage, strips that chunk, and bills it', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  const { data: stream, response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream without usage' }], stream: true })
    .withResponse();
  let text = '';
  let sawUsageOnlyChunk = false;
  for await (const chunk of stream) {
    if (chunk.choices.length === 0 || chunk.usage) sawUsageOnlyChunk = true;
    text += chunk.choices[0]?.delta.content ?? '';
  }
  expect(text).toBe('Hello from the NebulaGate mock provider!');
  expect(sawUsageOnlyChunk).toBe(false);
  expect(harness.mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });

  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'success', estimated: false });
  expect(event?.cost).toBeGreaterThan(0);
  expect(before - (await harness.wallet(userId))).toBe(event?.cost);
});

test('cached prompt tokens are billed as cache reads, and the group multiplier applies', async () => {
  await harness.publish({
    prices: { 'gpt-4o-mini': { ...PRICE, cacheReadPerMillion: 500_000 }, 'gpt-4o': PRICE },
    groupMultipliers: { default: 1.5 },
  });
  try {
    const { key, userId } = await seedUser(harness);
    const before = await harness.wallet(userId);
    harness.mock.enqueue({ usage: { promptTokens: 1000, completionTokens: 100, cachedTokens: 600 } });
    const { response } = await harness
      .openai(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cache me' }] })
      .withResponse();
    const expected = computeCost(
      { promptTokens: 1000, completionTokens: 100, cacheReadTokens: 600, cacheWriteTokens: 0 },
      { ...fullPrice, cacheReadPerMillion: 500_000 },
      1.5,
    ).total;
    expect(before - (await harness.wallet(userId))).toBe(expected);
    expect(await harness.usageEvent(response.headers.get('x-request-id') ?? '')).toMatchObject({ cacheReadTokens: 600, cost: expected });
  } finally {
    await harness.publish();
  }
});

test('an upstream answer without usage is billed from a local estimate flagged estimated', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ omitUsage: true });
  const { response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'no usage here' }] })
    .withResponse();
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event).toMatchObject({ status: 'success', estimated: true });
  expect(event?.promptTokens).toBeGreaterThan(0);
  expect(event?.completionTokens).toBeGreaterThan(0);
  expect(event?.cost).toBe(computeCost({ promptTokens: event?.promptTokens ?? 0, completionTokens: event?.completionTokens ?? 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, fullPrice).total);
  expect(before - (await harness.wallet(userId))).toBe(event?.cost);
});

test('an empty reply is not charged', async () => {
  const { key, userId } = await seedUser(harness);
  const before = await harness.wallet(userId);
  harness.mock.enqueue({ content: '', usage: { promptTokens: 12, completionTokens: 0 } });
  const { response } = await harness
    .openai(key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say nothing' }] })
    .withResponse();
  expect(await harness.wallet(userId)).toBe(before);
  expect(await harness.usageEvent(response.headers.get('x-request-id') ?? '')).toMatchObject({ cost: 0 });
});

test('every key header and ?key= is accepted, and the /hf/v1 alias serves the same API', async () => {
  const { key } = await seedUser(harness);
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const variants: Array<{ path: string; headers: Record<string, string> }> = [
    { path: '/v1/chat/completions', headers: { 'x-api-key': key } },
    { path: '/v1/chat/completions', headers: { 'x-goog-api-key': key } },
    { path: `/v1/chat/completions?key=${key}`, headers: {} },
    { path: '/hf/v1/chat/completions', headers: { authorization: `Bearer ${key}` } },
  ];
  for (const variant of variants) {
    const response = await fetch(`${harness.dataPlane.url}${variant.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...variant.headers }, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
  }
});

test('GET /v1/models lists the models routable for the caller, narrowed by the token allow-list', async () => {
  const everything = await seedUser(harness);
  const listed = await harness.openai(everything.key).models.list();
  expect(listed.data.map((model) => model.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
  expect(listed.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });

  const narrowed = await seedUser(harness, 1000, { models: ['gpt-4o-mini'] });
  const narrowList = await harness.openai(narrowed.key).models.list();
  expect(narrowList.data.map((model) => model.id)).toEqual(['gpt-4o-mini']);

  const otherGroup = await seedUser(harness, 1000, { group: 'vip' });
  expect((await harness.openai(otherGroup.key).models.list()).data).toEqual([]);

  const hf = await fetch(`${harness.dataPlane.url}/hf/v1/models`, { headers: { authorization: `Bearer ${everything.key}` } });
  expect(((await hf.json()) as { data: unknown[] }).data).toHaveLength(2);
});

test('GET /health and GET /metrics report the snapshot version and request counts', async () => {
  const health = await fetch(`${harness.dataPlane.url}/health`);
  expect(health.status).toBe(200);
  const healthBody = (await health.json()) as { snapshotVersion: number };
  expect(healthBody.snapshotVersion).toBeGreaterThan(0);
  const metrics = await (await fetch(`${harness.dataPlane.url}/metrics`)).text();
  expect(metrics).toContain(`nebulagate_snapshot_version ${healthBody.snapshotVersion}`);
  expect(metrics).toMatch(/nebulagate_http_requests_total\{status="200"\} \d+/);
});

test('unknown endpoints answer 404 in the OpenAI error shape', async () => {
  const response = await fetch(`${harness.dataPlane.url}/v1/nothing-here`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: 'not_found', type: expect.any(String), message: expect.any(String), param: null } });
});
