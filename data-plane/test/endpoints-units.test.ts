// Table tests for the pure pieces of the non-chat endpoints: multipart parsing/rewriting, usage readers, Azure URLs,
// worst-case reservations, fallback billing, header overrides and the OpenAI-compatible vendor table.
import { PROVIDER_IDS, type SnapshotPrice } from '@nebulagate/schema';
import { effectivePrice, endpointWorstCase } from '../src/middleware/koa-endpoint-guard';
import { providerAdapterFor, type RelayEndpoint } from '../src/providers';
import { AZURE_DEFAULT_API_VERSION, azureApiVersion, azureDeploymentUrl, prepareAzureChat, prepareAzureEndpoint } from '../src/providers/azure-openai';
import { readCohereUsage } from '../src/providers/cohere';
import { ALL_OPENAI_ENDPOINTS, OPENAI_COMPATIBLE_VENDORS } from '../src/providers/openai-compatible';
import { readOpenAiEndpointUsage } from '../src/providers/openai/endpoint-usage';
import { applyParameterOverrides, prepareOpenAiEndpoint } from '../src/providers/openai/endpoints';
import { completionTextBytes, fallbackUsage, withHeaderOverrides } from '../src/relay/endpoint-relay';
import { multipartBoundary, multipartTextField, parseMultipart, serializeMultipart, withMultipartTextField } from '../src/relay/multipart-form';

const BOUNDARY = '----nebula-test-boundary';

async function formDataBody(): Promise<{ body: Buffer; contentType: string; file: Buffer }> {
  const file = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254, 13, 10, 13, 10, 7]);
  const form = new FormData();
  form.append('model', 'whisper-1');
  form.append('prompt', 'héllo "quoted"');
  form.append('file', new Blob([file], { type: 'audio/mpeg' }), 'a b.mp3');
  const request = new Request('http://local.invalid', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? '', file };
}

describe('multipart form', () => {
  test.each([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['multipart/form-data; charset=utf-8; boundary="quoted value"', 'quoted value'],
    ['Multipart/Form-Data;BOUNDARY=x', 'x'],
    ['application/json', null],
    ['multipart/form-data', null],
    [`multipart/form-data; boundary=${'a'.repeat(71)}`, null],
  ])('boundary of %s', (contentType, expected) => {
    expect(multipartBoundary(contentType)).toBe(expected);
  });

  test('parses what the platform encodes, swaps the model, and the platform parses the result back', async () => {
    const { body, contentType, file } = await formDataBody();
    const boundary = multipartBoundary(contentType) as string;
    const parts = parseMultipart(body, boundary);
    expect(parts?.map((part) => [part.name, part.filename])).toEqual([
      ['model', null],
      ['prompt', null],
      ['file', 'a b.mp3'],
    ]);
    expect(multipartTextField(parts ?? [], 'prompt')).toBe('héllo "quoted"');
    expect(parts?.[2]?.data.equals(file)).toBe(true);
    // Unchanged parts serialise to the same bytes.
    expect(serializeMultipart(parts ?? [], boundary).equals(body)).toBe(true);
    const rewritten = serializeMultipart(withMultipartTextField(parts ?? [], 'model', 'whisper-large-v3'), boundary);
    const form = await new Response(rewritten, { headers: { 'content-type': contentType } }).formData();
    expect(form.get('model')).toBe('whisper-large-v3');
    expect(form.get('prompt')).toBe('héllo "quoted"');
    const uploaded = form.get('file') as File;
    expect(uploaded.name).toBe('a b.mp3');
    expect(Buffer.from(await uploaded.arrayBuffer()).equals(file)).toBe(true);
  });

  test('a list field (`x[]`) may repeat', () => {
    const text = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="timestamp_granularities[]"\r\n\r\nword\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="timestamp_granularities[]"\r\n\r\nsegment\r\n--${BOUNDARY}--\r\n`;
    expect(parseMultipart(Buffer.from(text), BOUNDARY)?.map((part) => part.data.toString())).toEqual(['word', 'segment']);
  });

  test('appends a field that is absent', () => {
    const parts = withMultipartTextField([], 'model', 'm');
    expect(parts).toHaveLength(1);
    expect(serializeMultipart(parts, BOUNDARY).toString()).toBe(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\nm\r\n--${BOUNDARY}--\r\n`);
  });

  test.each([
    ['no delimiter', 'hello'],
    ['no closing delimiter', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue`],
    ['no name', `--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`],
    ['garbage after the delimiter', `--${BOUNDARY}xx\r\n`],
    ['a repeated text field', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nok\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nbad\r\n--${BOUNDARY}--\r\n`],
    ['two Content-Disposition lines', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="model"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`],
    ['an RFC 2231 name', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"; name*=utf-8''model\r\n\r\nx\r\n--${BOUNDARY}--\r\n`],
  ])('refuses a malformed body: %s', (_case, text) => {
    expect(parseMultipart(Buffer.from(text), BOUNDARY)).toBeNull();
  });
});

describe('usage readers', () => {
  test.each([
    ['embeddings', { usage: { prompt_tokens: 7, total_tokens: 7 } }, { promptTokens: 7, completionTokens: 0 }],
    ['completions', { usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 } }, { promptTokens: 3, completionTokens: 9 }],
    ['images', { usage: { input_tokens: 50, output_tokens: 4160, input_tokens_details: { cached_tokens: 10 } } }, { promptTokens: 50, completionTokens: 4160, cacheReadTokens: 10 }],
    ['rerank (total only)', { usage: { total_tokens: 21 } }, { promptTokens: 21, completionTokens: 0 }],
    ['no usage', { data: [] }, null],
    ['usage with no counts', { usage: { type: 'duration', seconds: 3 } }, null],
    ['negative counts', { usage: { prompt_tokens: -1 } }, null],
    ['not an object', 'text', null],
  ])('%s', (_case, reply, expected) => {
    const usage = readOpenAiEndpointUsage(reply);
    if (expected === null) expect(usage).toBeNull();
    else expect(usage).toEqual({ cacheReadTokens: 0, cacheWriteTokens: 0, ...expected });
  });

  test.each([
    ['billed tokens', { meta: { billed_units: { input_tokens: 12, output_tokens: 0 } } }, { promptTokens: 12, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }],
    ['search units only', { meta: { billed_units: { search_units: 1 } } }, null],
    ['OpenAI-compatible embeddings', { usage: { prompt_tokens: 4 } }, { promptTokens: 4, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }],
  ])('cohere: %s', (_case, reply, expected) => {
    expect(readCohereUsage(reply)).toEqual(expected);
  });
});

describe('azure', () => {
  test.each([
    ['override wins', { overrides: { 'api-version': '2025-01-01-preview' }, body: { 'api-version': 'body' }, baseUrl: 'https://r.openai.azure.com?api-version=url' }, '2025-01-01-preview'],
    ['body next', { body: { 'api-version': '2024-06-01' }, baseUrl: 'https://r.openai.azure.com?api-version=url' }, '2024-06-01'],
    ['base URL query next', { baseUrl: 'https://r.openai.azure.com/?api-version=2024-02-01' }, '2024-02-01'],
    ['default', { overrides: { 'api-version': '' }, baseUrl: 'https://r.openai.azure.com' }, AZURE_DEFAULT_API_VERSION],
  ])('api-version: %s', (_case, sources, expected) => {
    expect(azureApiVersion(sources)).toBe(expected);
  });

  test.each([
    ['https://r.openai.azure.com', 'gpt-4o', 'chat', '2024-10-21', 'https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21'],
    ['https://r.openai.azure.com/?api-version=x', 'emb', 'embeddings', 'v', 'https://r.openai.azure.com/openai/deployments/emb/embeddings?api-version=v'],
    ['https://r.openai.azure.com/', 'a/b#c', 'speech', 'v', 'https://r.openai.azure.com/openai/deployments/a%2Fb%23c/audio/speech?api-version=v'],
  ] as Array<[string, string, RelayEndpoint, string, string]>)('deployment URL for %s %s %s', (baseUrl, deployment, endpoint, version, expected) => {
    expect(azureDeploymentUrl(baseUrl, deployment, endpoint, version)).toBe(expected);
  });

  test('chat and endpoint calls use api-key, never Authorization, and do not send api-version in the body', () => {
    const chat = prepareAzureChat({
      baseUrl: 'https://r.openai.azure.com',
      apiKey: 'k',
      body: { model: 'x', messages: [], 'api-version': '2024-06-01' },
      upstreamModel: 'dep',
      stream: false,
      userAgent: null,
    });
    expect(chat.url).toBe('https://r.openai.azure.com/openai/deployments/dep/chat/completions?api-version=2024-06-01');
    expect(chat.headers).toMatchObject({ 'api-key': 'k' });
    expect(chat.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(chat.body)).not.toHaveProperty('api-version');
    const call = prepareAzureEndpoint({
      endpoint: 'embeddings',
      baseUrl: 'https://r.openai.azure.com',
      apiKey: 'k',
      payload: { kind: 'json', json: { model: 'x', input: 'hi' } },
      upstreamModel: 'dep',
      stream: false,
      userAgent: null,
      parameterOverrides: { 'api-version': '2025-01-01-preview', dimensions: 256 },
    });
    expect(call.url).toBe('https://r.openai.azure.com/openai/deployments/dep/embeddings?api-version=2025-01-01-preview');
    expect(call.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(call.body.toString())).toEqual({ model: 'dep', input: 'hi', dimensions: 256 });
  });
});

describe('OpenAI endpoint calls', () => {
  test.each([
    [{ a: 1, b: 2 }, { b: null, c: 3 }, [], { a: 1, c: 3 }],
    [{ a: 1, 'api-version': 'x' }, { 'api-version': 'y' }, ['api-version'], { a: 1 }],
  ])('parameter overrides %j + %j', (json, overrides, consumed, expected) => {
    expect(applyParameterOverrides(json, overrides, consumed)).toEqual(expected);
  });

  test('completion streams ask for usage; the model is mapped; Bearer auth', () => {
    const call = prepareOpenAiEndpoint({
      endpoint: 'completions',
      baseUrl: 'https://api.example.com/v1/',
      apiKey: 'k',
      payload: { kind: 'json', json: { model: 'client', prompt: 'p', stream: true, stream_options: { other: 1 } } },
      upstreamModel: 'upstream',
      stream: true,
      userAgent: 'ua',
      parameterOverrides: {},
    });
    expect(call.url).toBe('https://api.example.com/v1/completions');
    expect(call.headers).toMatchObject({ authorization: 'Bearer k', accept: 'text/event-stream', 'user-agent': 'ua' });
    expect(JSON.parse(call.body.toString())).toEqual({ model: 'upstream', prompt: 'p', stream: true, stream_options: { other: 1, include_usage: true } });
  });

  test.each([
    [{ Authorization: 'Bearer evil', 'X-Custom': 'a', 'api-key': 'evil', Host: 'evil' }, { accept: 'application/json', 'x-custom': 'a' }],
    [{}, { accept: 'application/json' }],
  ])('header overrides %j never touch auth or framing', (overrides, expected) => {
    expect(withHeaderOverrides({ accept: 'application/json' }, overrides)).toEqual(expected);
  });
});

describe('reservations and fallback billing', () => {
  const price: SnapshotPrice = { inputPerMillion: 1, outputPerMillion: 1, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 10, defaultMaxOutputTokens: null };
  const settings = { defaultMaxOutputTokens: 1000 };

  test.each([
    ['embeddings', { textBytes: 100, maxTokens: null, choices: 1 }, { promptTokens: 50, completionTokens: 0 }],
    ['completions', { textBytes: 100, maxTokens: 20, choices: 3 }, { promptTokens: 50, completionTokens: 60 }],
    ['completions', { textBytes: 10, maxTokens: null, choices: 1 }, { promptTokens: 5, completionTokens: 1000 }],
    // Token-priced images and audio reserve the output cap per image / per call.
    ['image-generation', { textBytes: 40, maxTokens: null, choices: 4 }, { promptTokens: 20, completionTokens: 4000 }],
    ['speech', { textBytes: 0, maxTokens: null, choices: 1 }, { promptTokens: 0, completionTokens: 1000 }],
  ] as Array<[RelayEndpoint, { textBytes: number; maxTokens: number | null; choices: number }, { promptTokens: number; completionTokens: number }]>)(
    'worst case of %s %j',
    (endpoint, input, expected) => {
      expect(endpointWorstCase(endpoint, { ...input, price, settings })).toEqual({ ...expected, cacheReadTokens: 0, cacheWriteTokens: 0 });
    },
  );

  test('images and audio priced per call only reserve no output tokens', () => {
    const perCallOnly = { ...price, outputPerMillion: 0 };
    expect(endpointWorstCase('image-generation', { textBytes: 40, maxTokens: null, choices: 4, price: perCallOnly, settings }).completionTokens).toBe(0);
    expect(endpointWorstCase('transcription', { textBytes: 10, maxTokens: null, choices: 1, price: perCallOnly, settings }).completionTokens).toBe(0);
  });

  test.each([
    ['image-generation', 3, 30],
    ['image-edit', 2, 20],
    ['embeddings', 5, 10],
    ['speech', 1, 10],
  ] as Array<[RelayEndpoint, number, number]>)('%s with n=%d bills perCall %d', (endpoint, images, perCall) => {
    expect(effectivePrice(endpoint, price, images)?.perCall).toBe(perCall);
  });

  test.each([
    ['completions', 400, 80, { promptTokens: 100, completionTokens: 20 }, true],
    ['embeddings', 400, 80, { promptTokens: 100, completionTokens: 0 }, true],
    ['rerank', 8, 0, { promptTokens: 2, completionTokens: 0 }, true],
    ['image-generation', 400, 0, { promptTokens: 0, completionTokens: 0 }, false],
    ['moderation', 400, 0, { promptTokens: 0, completionTokens: 0 }, false],
  ] as Array<[RelayEndpoint, number, number, { promptTokens: number; completionTokens: number }, boolean]>)(
    'without upstream usage %s is billed %j',
    (endpoint, promptBytes, completionBytes, usage, estimated) => {
      expect(fallbackUsage(endpoint, promptBytes, completionBytes)).toEqual({ usage: { ...usage, cacheReadTokens: 0, cacheWriteTokens: 0 }, estimated });
    },
  );

  test('completion text bytes count only "text" values, escapes included as sent', () => {
    const frame = Buffer.from('data: {"choices":[{"text":"héllo \\"x\\"","index":0},{"text":"","index":1}],"model":"text"}\n\n');
    expect(completionTextBytes(frame)).toBe(Buffer.byteLength('héllo \\"x\\"'));
  });
});

describe('vendor table', () => {
  test('every vendor is a known channel type, listed once, with a documented-style base URL', () => {
    const ids = OPENAI_COMPATIBLE_VENDORS.map((vendor) => vendor.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const vendor of OPENAI_COMPATIBLE_VENDORS) {
      expect(PROVIDER_IDS).toContain(vendor.id);
      expect(vendor.displayName.length).toBeGreaterThan(0);
      expect(vendor.endpoints.length).toBeGreaterThan(0);
      for (const endpoint of vendor.endpoints) expect(ALL_OPENAI_ENDPOINTS).toContain(endpoint);
      if (vendor.id === 'openai-compatible') expect(vendor.defaultBaseUrl).toBe('');
      else if (vendor.id === 'ollama') expect(vendor.defaultBaseUrl).toMatch(/^http:\/\/localhost:\d+\/v1$/);
      else expect(new URL(vendor.defaultBaseUrl).protocol).toBe('https:');
    }
  });

  test.each([
    ['zhipu', 'https://open.bigmodel.cn/api/paas/v4'],
    ['qwen', 'https://dashscope.aliyuncs.com/compatible-mode/v1'],
    ['doubao', 'https://ark.cn-beijing.volces.com/api/v3'],
    ['qianfan', 'https://qianfan.baidubce.com/v2'],
  ])('%s defaults to %s', (id, baseUrl) => {
    expect(OPENAI_COMPATIBLE_VENDORS.find((vendor) => vendor.id === id)?.defaultBaseUrl).toBe(baseUrl);
  });

  test('the registry serves exactly what the table declares, through the OpenAI adapters', () => {
    for (const vendor of OPENAI_COMPATIBLE_VENDORS) {
      const adapter = providerAdapterFor(vendor.id);
      expect([...(adapter?.endpoints ?? [])].sort()).toEqual([...vendor.endpoints].sort());
      expect(adapter?.chat === null).toBe(!vendor.endpoints.includes('chat'));
      expect(adapter?.endpointAdapter).toBeTruthy();
      expect(adapter?.displayName).toBe(vendor.displayName);
    }
  });

  test.each([
    ['openai', [...ALL_OPENAI_ENDPOINTS, 'realtime']],
    ['azure-openai', ['chat', 'completions', 'embeddings', 'image-generation', 'image-edit', 'speech', 'transcription', 'translation']],
    ['cohere', ['embeddings', 'rerank']],
    ['jina', ['embeddings', 'rerank']],
  ] as const)('%s declares its endpoints', (id, endpoints) => {
    expect([...(providerAdapterFor(id)?.endpoints ?? [])].sort()).toEqual([...endpoints].sort());
  });
});
