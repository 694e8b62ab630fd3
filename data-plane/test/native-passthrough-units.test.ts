// The pure pieces of the native pass-through: the lenient conversion (what a converted attempt must refuse), choosing
// native per channel, the upstream call, and the stream processors (hold, forward, usage, end, errors).
import { anthropicChatAdapter, anthropicClientWire, convertAnthropicRequestToOpenAi } from '../src/providers/anthropic';
import { AnthropicNativeStream, prepareAnthropicNative, readAnthropicNativeResponse } from '../src/providers/anthropic/anthropic-native';
import { geminiChatAdapter, geminiClientWire } from '../src/providers/gemini';
import { GeminiNativeStream, prepareGeminiNative, readGeminiNativeResponse } from '../src/providers/gemini/gemini-native';
import { openAiChatAdapter } from '../src/providers/openai';
import { nativeAdapterFor } from '../src/relay/chat-relay';
import { convertLeniently, removeProblemPath } from '../src/relay/client-wire';

const event = (name: string, payload: Record<string, unknown>) => Buffer.from(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`);
const data = (payload: unknown) => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);

describe('removeProblemPath', () => {
  test.each([
    ['top-level field', { top_k: 3, model: 'm' }, 'top_k', { model: 'm' }],
    ['innermost array element', { messages: [{ content: [{ type: 'text' }, { type: 'document' }] }] }, 'messages.0.content.1.type', { messages: [{ content: [{ type: 'text' }] }] }],
    ['array element named directly', { tools: [{ type: 'web_search' }, { name: 'f' }] }, 'tools.0', { tools: [{ name: 'f' }] }],
    ['nested field without an array', { generationConfig: { seed: 1, temperature: 0 } }, 'generationConfig.seed', { generationConfig: { temperature: 0 } }],
  ])('%s', (_name, body, param, expected) => {
    const copy: Record<string, unknown> = structuredClone(body);
    expect(removeProblemPath(copy, param)).toBe(true);
    expect(copy).toEqual(expected);
  });

  test.each([
    ['a missing field', { model: 'm' }, 'top_k'],
    ['an index past the end', { messages: [] }, 'messages.3.content'],
    ['an empty path', { model: 'm' }, ''],
  ])('names nothing: %s', (_name, body, param) => {
    const copy: Record<string, unknown> = structuredClone(body);
    expect(removeProblemPath(copy, param)).toBe(false);
    expect(copy).toEqual(body);
  });
});

describe('convertLeniently', () => {
  test('a request the conversion carries converts as before, without a problem', () => {
    const request = { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] };
    expect(convertLeniently(request, convertAnthropicRequestToOpenAi)).toEqual({ body: { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, problem: null });
  });

  test('what only Anthropic carries is left out of the converted body and reported; the original is untouched', () => {
    const request = {
      model: 'm',
      max_tokens: 8,
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 4 },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'read this' }, { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' } }] }],
    };
    const before = structuredClone(request);
    const conversion = convertLeniently(request, convertAnthropicRequestToOpenAi);
    expect(conversion?.body).toEqual({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'read this' }] });
    expect(conversion?.problem).toEqual({ param: 'top_k', message: expect.stringContaining('top_k') });
    expect(request).toEqual(before);
  });

  test('a request that is wrong in itself stays refused', () => {
    expect(convertLeniently({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, convertAnthropicRequestToOpenAi)).toBeNull();
  });
});

describe('nativeAdapterFor', () => {
  const originalBody = { model: 'm' };
  test.each([
    ['Anthropic caller, anthropic channel', { clientWire: { ...anthropicClientWire, originalBody } }, anthropicChatAdapter, 'anthropic'],
    ['Gemini caller, gemini channel', { clientWire: { ...geminiClientWire, originalBody } }, geminiChatAdapter, 'gemini'],
    ['Anthropic caller, gemini channel', { clientWire: { ...anthropicClientWire, originalBody } }, geminiChatAdapter, null],
    ['Anthropic caller, OpenAI channel', { clientWire: { ...anthropicClientWire, originalBody } }, openAiChatAdapter, null],
    ['OpenAI caller, anthropic channel', {}, anthropicChatAdapter, null],
    ['no original body kept', { clientWire: anthropicClientWire }, anthropicChatAdapter, null],
  ])('%s', (_name, state, adapter, protocol) => {
    expect(nativeAdapterFor(state, adapter)?.protocol ?? null).toBe(protocol);
  });
});

describe('prepareAnthropicNative', () => {
  const input = { baseUrl: 'https://api.anthropic.com/v1/', apiKey: 'sk-ant', upstreamModel: 'claude-up', stream: true, userAgent: 'claude-cli/1.0' };

  test('only the model changes, in place; anthropic-version and anthropic-beta come from the caller', () => {
    const headers: Record<string, string> = { 'anthropic-version': '2024-01-01', 'anthropic-beta': 'a,b', 'x-api-key': 'caller-key' };
    const call = prepareAnthropicNative({ ...input, body: { max_tokens: 1, model: 'alias', top_k: 2 }, callerHeader: (name) => headers[name] ?? null });
    expect(call.url).toBe('https://api.anthropic.com/v1/messages');
    expect(call.body).toBe('{"max_tokens":1,"model":"claude-up","top_k":2}');
    expect(call.headers).toMatchObject({ 'x-api-key': 'sk-ant', 'anthropic-version': '2024-01-01', 'anthropic-beta': 'a,b', accept: 'text/event-stream', 'user-agent': 'claude-cli/1.0' });
  });

  test('without caller headers: the default version, no beta header', () => {
    const call = prepareAnthropicNative({ ...input, body: { model: 'alias' }, callerHeader: () => null });
    expect(call.headers['anthropic-version']).toBe('2023-06-01');
    expect(call.headers).not.toHaveProperty('anthropic-beta');
  });
});

describe('prepareGeminiNative', () => {
  const input = { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIza-key', upstreamModel: 'gemini-up', userAgent: null, callerHeader: () => null };

  test('the body goes as is, the mapped model in the path, the key in a header', () => {
    const call = prepareGeminiNative({ ...input, stream: true, body: { contents: [], cachedContent: 'cachedContents/1' } });
    expect(call.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-up:streamGenerateContent?alt=sse');
    expect(call.body).toBe('{"contents":[],"cachedContent":"cachedContents/1"}');
    expect(call.headers['x-goog-api-key']).toBe('AIza-key');
    expect(call.url).not.toContain('AIza');
  });

  test('a model named in the body is the mapped one too', () => {
    const call = prepareGeminiNative({ ...input, stream: false, body: { model: 'models/gemini-ultra', contents: [] } });
    expect(call.body).toBe('{"model":"models/gemini-up","contents":[]}');
  });
});

describe('AnthropicNativeStream', () => {
  const start = event('message_start', { message: { id: 'msg_1', usage: { input_tokens: 10, cache_creation_input_tokens: 4, cache_read_input_tokens: 6, output_tokens: 1 } } });
  const ping = event('ping', {});
  const blockStart = event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  const delta = event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hello there' } });

  test('holds message_start and pings until content, then releases them unchanged with it; forwards the rest', () => {
    const stream = new AnthropicNativeStream([]);
    expect(stream.handleFrame(start)).toEqual({ kind: 'replace', frames: [] });
    expect(stream.handleFrame(ping)).toEqual({ kind: 'replace', frames: [] });
    expect(stream.handleFrame(blockStart)).toEqual({ kind: 'replace', frames: [start, ping, blockStart] });
    expect(stream.handleFrame(delta)).toEqual({ kind: 'forward' });
    expect(stream.sawContent).toBe(true);
    expect(stream.streamedCompletionTokens).toBeGreaterThan(0);
    expect(stream.usage).toBeNull();
    expect(stream.handleFrame(event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }))).toEqual({ kind: 'forward' });
    expect(stream.usage).toEqual({ promptTokens: 20, completionTokens: 7, cacheReadTokens: 6, cacheWriteTokens: 4 });
    expect(stream.complete).toBe(false);
    expect(stream.handleFrame(event('message_stop', {}))).toEqual({ kind: 'forward' });
    expect(stream.complete).toBe(true);
  });

  test('an error event (before or after content) is an error, scrubbed of secrets; the error frame is Anthropic-shaped', () => {
    const stream = new AnthropicNativeStream(['sk-secret']);
    stream.handleFrame(start);
    const action = stream.handleFrame(event('error', { error: { type: 'overloaded_error', message: 'bad key sk-secret' } }));
    expect(action.kind).toBe('error');
    if (action.kind !== 'error') return;
    expect(action.error.message).not.toContain('sk-secret');
    expect(stream.errorFrame(action.error).toString()).toBe(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: action.error.message } })}\n\n`);
  });

  test('non-streaming replies: usage with cache counts, empty replies recognised, other JSON refused', () => {
    const reply = { type: 'message', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'ok' }], usage: { input_tokens: 3, output_tokens: 2, cache_read_input_tokens: 1 } };
    expect(readAnthropicNativeResponse(Buffer.from(JSON.stringify(reply)))).toEqual({ usage: { promptTokens: 4, completionTokens: 2, cacheReadTokens: 1, cacheWriteTokens: 0 }, completionBytes: 4, empty: false });
    expect(readAnthropicNativeResponse(Buffer.from(JSON.stringify({ ...reply, content: [], usage: { input_tokens: 3, output_tokens: 0 } })))?.empty).toBe(true);
    expect(readAnthropicNativeResponse(Buffer.from('{"type":"error"}'))).toBeNull();
    expect(readAnthropicNativeResponse(Buffer.from('not json'))).toBeNull();
  });
});

describe('GeminiNativeStream', () => {
  test('forwards every frame, keeps the latest usageMetadata, ends on finishReason', () => {
    const stream = new GeminiNativeStream([]);
    const first = data({ candidates: [{ content: { parts: [{ text: 'Hi ' }] } }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } });
    const last = data({ candidates: [{ content: { parts: [{ text: 'there' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, thoughtsTokenCount: 3, cachedContentTokenCount: 2 } });
    expect(stream.handleFrame(first)).toEqual({ kind: 'forward' });
    expect(stream.complete).toBe(false);
    expect(stream.handleFrame(last)).toEqual({ kind: 'forward' });
    expect(stream.complete).toBe(true);
    expect(stream.usage).toEqual({ promptTokens: 5, completionTokens: 5, cacheReadTokens: 2, cacheWriteTokens: 0 });
    expect(stream.sawContent).toBe(true);
  });

  test('an error frame is an error; the error frame sent is Gemini-shaped', () => {
    const stream = new GeminiNativeStream([]);
    const action = stream.handleFrame(data({ error: { code: 500, message: 'boom', status: 'INTERNAL' } }));
    expect(action.kind).toBe('error');
    if (action.kind !== 'error') return;
    expect(JSON.parse(stream.errorFrame(action.error).toString().slice('data: '.length))).toEqual({ error: { code: action.error.status, message: action.error.message, status: expect.any(String) } });
  });

  test('non-streaming replies: usage from usageMetadata; an error body is not a reply', () => {
    const reply = { candidates: [{ content: { parts: [{ text: 'ok' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1 } };
    expect(readGeminiNativeResponse(Buffer.from(JSON.stringify(reply)))).toEqual({ usage: { promptTokens: 4, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, completionBytes: 2, empty: false });
    expect(readGeminiNativeResponse(Buffer.from('{"error":{"code":500}}'))).toBeNull();
  });
});
