// Table tests for the pure parts: SSE framing, the OpenAI stream processor, error scrubbing, routing, config.
import { buildSnapshot } from '@nebulagate/testing';
import { ConfigError, loadDataPlaneConfig } from '../src';
import { createOpenAiStreamProcessor } from '../src/providers/openai/stream';
import { normaliseOpenAiError, scrubUpstreamMessage } from '../src/providers/openai/errors';
import { prepareOpenAiChat } from '../src/providers/openai/chat';
import { planAttempt, routableModels } from '../src/relay/route-planner';
import { SseFrameSplitter } from '../src/relay/sse';
import { worstCaseCost } from '../src/middleware/koa-reserve';

describe('SseFrameSplitter', () => {
  test('splits frames across arbitrary chunk boundaries and keeps the bytes unchanged', () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":"é"}\n\n: keepalive\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(stream);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const splitter = new SseFrameSplitter();
      const frames = [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut))];
      expect(Buffer.concat(frames).toString('utf8')).toBe(stream);
      expect(frames).toHaveLength(4);
      expect(splitter.flush()).toBeNull();
    }
  });

  test('handles CRLF streams and reports a trailing partial frame', () => {
    const splitter = new SseFrameSplitter();
    const frames = splitter.push(Buffer.from('data: 1\r\n\r\ndata: 2\r\n\r\ndata: 3'));
    expect(frames.map((frame) => frame.toString())).toEqual(['data: 1\r\n\r\n', 'data: 2\r\n\r\n']);
    expect(splitter.lastPushWasExact).toBe(false);
    expect(splitter.flush()?.toString()).toBe('data: 3');
  });
});

describe('OpenAI stream processor', () => {
  const frame = (payload: unknown) => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);
  const usageChunk = frame({ id: 'x', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } } });

  test('forwards deltas, counts streamed tokens, reads usage and drops the forced usage chunk', () => {
    const processor = createOpenAiStreamProcessor({ clientWantsUsage: false, secrets: [] });
    expect(processor.handleFrame(frame({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }))).toEqual({ kind: 'forward' });
    expect(processor.sawContent).toBe(false);
    expect(processor.handleFrame(frame({ choices: [{ index: 0, delta: { content: 'Hello \\"world\\"' } }] }))).toEqual({ kind: 'forward' });
    expect(processor.sawContent).toBe(true);
    expect(processor.streamedCompletionTokens).toBeGreaterThanOrEqual(1);
    expect(processor.handleFrame(usageChunk)).toEqual({ kind: 'drop' });
    expect(processor.usage).toEqual({ promptTokens: 7, completionTokens: 3, cacheReadTokens: 2, cacheWriteTokens: 0 });
  });

  test('keeps the usage chunk when the client asked for it; ignores "usage":null', () => {
    const processor = createOpenAiStreamProcessor({ clientWantsUsage: true, secrets: [] });
    expect(processor.handleFrame(frame({ choices: [{ index: 0, delta: { content: 'x' } }], usage: null }))).toEqual({ kind: 'forward' });
    expect(processor.handleFrame(usageChunk)).toEqual({ kind: 'forward' });
    expect(processor.usage?.promptTokens).toBe(7);
  });

  test('turns an upstream error frame into a scrubbed relay error', () => {
    const processor = createOpenAiStreamProcessor({ clientWantsUsage: false, secrets: ['sk-secret-key'] });
    const action = processor.handleFrame(frame({ error: { message: 'boom at https://internal.example:9000 using sk-secret-key', type: 'server_error' } }));
    expect(action.kind).toBe('error');
    if (action.kind === 'error') {
      expect(action.error.code).toBe('upstream_error');
      expect(action.error.message).not.toContain('sk-secret-key');
      expect(action.error.message).not.toContain('internal.example');
    }
  });

  test('counts tool-call arguments as streamed output', () => {
    const processor = createOpenAiStreamProcessor({ clientWantsUsage: false, secrets: [] });
    processor.handleFrame(frame({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] } }] }));
    expect(processor.sawContent).toBe(true);
  });
});

describe('upstream errors', () => {
  test.each([
    [400, 'invalid_request', 400, false],
    [404, 'model_not_found', 404, false],
    [401, 'upstream_error', 502, true],
    [429, 'rate_limited', 429, true],
    [500, 'upstream_error', 502, true],
    [503, 'upstream_error', 502, true],
  ])('HTTP %i -> %s (%i), retryable=%s', (status, code, clientStatus, retryable) => {
    const failure = normaliseOpenAiError(status, JSON.stringify({ error: { message: 'detail' } }), []);
    expect(failure.error.code).toBe(code);
    expect(failure.error.status).toBe(clientStatus);
    expect(failure.retryable).toBe(retryable);
  });

  test('scrubbing removes keys, URLs and addresses', () => {
    const scrubbed = scrubUpstreamMessage('Incorrect API key provided: sk-proj-abc123XYZ. Host http://10.0.0.5:8080/v1 at 10.0.0.5 or [fd00::1]:443, Bearer abc.def', ['my-channel-key']);
    expect(scrubbed).not.toMatch(/sk-proj|10\.0\.0\.5|fd00|abc\.def/);
    expect(scrubUpstreamMessage('uses my-channel-key here', ['my-channel-key'])).toBe('uses [redacted] here');
  });
});

describe('request preparation', () => {
  test('maps the model, forces include_usage on streams and sends only allow-listed headers', () => {
    const call = prepareOpenAiChat({
      baseUrl: 'https://api.example.com/v1/',
      apiKey: 'sk-upstream',
      body: { model: 'alias', messages: [], stream: true, api_base: 'http://evil' },
      upstreamModel: 'real-model',
      stream: true,
      userAgent: 'OpenAI/JS 6',
    });
    expect(call.url).toBe('https://api.example.com/v1/chat/completions');
    expect(JSON.parse(call.body)).toMatchObject({ model: 'real-model', stream_options: { include_usage: true } });
    expect(Object.keys(call.headers).sort()).toEqual(['accept', 'accept-encoding', 'authorization', 'content-type', 'user-agent']);
  });
});

describe('routing', () => {
  const snapshot = buildSnapshot({
    version: 1,
    cryptoSecret: 'unit-test-secret-123456',
    channels: [
      { id: 'high', baseUrl: 'https://a.example/v1', keys: ['k1'], models: ['m'], priority: 10, modelMapping: { m: 'm-upstream' } },
      { id: 'low-1', baseUrl: 'https://b.example/v1', keys: ['k2'], models: ['m', 'free'], priority: 0, weight: 1 },
      { id: 'low-2', baseUrl: 'https://c.example/v1', keys: ['k3'], models: ['m'], priority: 0, weight: 3 },
      { id: 'rerank-only', baseUrl: 'https://d.example', keys: ['k4'], models: ['m'], priority: 20, type: 'cohere' },
    ],
    prices: { m: { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 } },
  });
  const tiers = snapshot.routes.default?.m ?? [];

  test('highest priority first (skipping providers that do not serve chat), with model mapping', () => {
    const plan = planAttempt(snapshot, tiers, 'm', new Set());
    expect(plan?.channel.id).toBe('high');
    expect(plan?.upstreamModel).toBe('m-upstream');
  });

  test('excluded channels fall through to the next tier, weighted', () => {
    expect(planAttempt(snapshot, tiers, 'm', new Set(['high']), () => 0.1)?.channel.id).toBe('low-1');
    expect(planAttempt(snapshot, tiers, 'm', new Set(['high']), () => 0.5)?.channel.id).toBe('low-2');
    expect(planAttempt(snapshot, tiers, 'm', new Set(['high', 'low-1', 'low-2']))).toBeNull();
  });

  test('listed models exclude unpriced ones unless allowed', () => {
    expect(routableModels(snapshot, 'default', null)).toEqual(['m']);
    expect(routableModels({ ...snapshot, settings: { ...snapshot.settings, allowUnpricedModels: true } }, 'default', null)).toEqual(['free', 'm']);
  });

  test('worst case = ceil(body bytes / 2) prompt tokens + max output, priced with the group multiplier', () => {
    const price = { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
    const base = { snapshot, body: { json: {}, bytes: 1001 } };
    const chat = { model: 'm', stream: false, clientWantsUsage: false, price, multiplier: 2, tiers };
    // 501 prompt tokens * 1 credit + 100 output * 2 credits = 701, x2 = 1402
    expect(worstCaseCost({ ...base, chat: { ...chat, request: { model: 'm', messages: [], max_tokens: 100 } } })).toBe(1402);
    // max_completion_tokens wins over max_tokens; the settings default applies when neither is set
    expect(worstCaseCost({ ...base, chat: { ...chat, request: { model: 'm', messages: [], max_tokens: 100, max_completion_tokens: 10 } } })).toBe((501 + 20) * 2);
    expect(worstCaseCost({ ...base, chat: { ...chat, request: { model: 'm', messages: [] } } })).toBe((501 + 4096 * 2) * 2);
  });
});

describe('configuration', () => {
  test('defaults and aliases', () => {
    const config = loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', REDIS_CONN_STRING: 'redis://redis:6379' });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3000, redisUrl: 'redis://redis:6379', allowPrivateUpstreams: false });
    expect(loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', DATA_PLANE_PORT: '0', ALLOW_PRIVATE_UPSTREAMS: 'true' })).toMatchObject({ port: 0, allowPrivateUpstreams: true });
  });

  test('errors name the variable', () => {
    expect(() => loadDataPlaneConfig({})).toThrow(ConfigError);
    expect(() => loadDataPlaneConfig({})).toThrow(/CRYPTO_SECRET/);
    expect(() => loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', DATA_PLANE_PORT: 'abc' })).toThrow(/DATA_PLANE_PORT/);
    expect(() => loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', ALLOW_PRIVATE_UPSTREAMS: 'maybe' })).toThrow(/ALLOW_PRIVATE_UPSTREAMS/);
    expect(() => loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', OFFLINE_SPEND_ALLOWANCE: '-5' })).toThrow(/OFFLINE_SPEND_ALLOWANCE/);
    expect(() => loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', SSE_PING_INTERVAL_MS: '1.5' })).toThrow(/SSE_PING_INTERVAL_MS/);
  });

  test('offline spending and pings: defaults, and 0 turns them off', () => {
    expect(loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef' })).toMatchObject({ offlineSpendAllowance: 1_000_000, streamPingIntervalMs: 15_000 });
    expect(loadDataPlaneConfig({ CRYPTO_SECRET: '0123456789abcdef', OFFLINE_SPEND_ALLOWANCE: '0', SSE_PING_INTERVAL_MS: '0' })).toMatchObject({ offlineSpendAllowance: 0, streamPingIntervalMs: 0 });
  });
});
