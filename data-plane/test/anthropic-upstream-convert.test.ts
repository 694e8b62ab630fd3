// Table tests for the Anthropic upstream direction (OpenAI chat <-> an Anthropic-type channel): request conversion,
// stop reasons, usage, JSON replies, fixture streams replayed through the chunk converter, error normalisation, and
// the Anthropic model-list page and count_tokens helpers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenUsage } from '@nebulagate/schema';
import { readAnthropicMessage } from '../src/providers/anthropic/anthropic-api';
import { prepareAnthropicChat, readAnthropicChatResponse } from '../src/providers/anthropic/anthropic-chat';
import { estimateInputTokens, readCountTokensProblem, readCountTokensResponse } from '../src/providers/anthropic/anthropic-count-tokens';
import { anthropicModelPage, wantsAnthropicModelList } from '../src/providers/anthropic/anthropic-model-list';
import { AnthropicToOpenAiStream, sseFramePayload } from '../src/providers/anthropic/anthropic-stream-to-openai-chunks';
import { convertAnthropicResponseToOpenAi } from '../src/providers/anthropic/convert-anthropic-response-to-openai';
import { convertAnthropicUsage } from '../src/providers/anthropic/convert-anthropic-usage';
import { convertOpenAiRequestToAnthropic, DEFAULT_ANTHROPIC_MAX_TOKENS } from '../src/providers/anthropic/convert-openai-request-to-anthropic';
import { mapAnthropicStopReason } from '../src/providers/anthropic/map-anthropic-stop-reason';
import { normaliseAnthropicError } from '../src/providers/anthropic/normalise-anthropic-error';
import { RelayError } from '../src/relay/relay-error';

const FIXTURES = join(__dirname, '__fixtures__', 'anthropic');
const user = (content: unknown) => ({ role: 'user', content });

function convert(body: Record<string, unknown>) {
  return convertOpenAiRequestToAnthropic({ model: 'alias', messages: [user('hi')], ...body }, 'claude-upstream');
}

function converted(body: Record<string, unknown>): Record<string, unknown> {
  const result = convert(body);
  if (!result.ok) throw new Error(`unexpected refusal: ${result.problem.message}`);
  return result.body;
}

describe('convertOpenAiRequestToAnthropic: parameters', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['upstream model, default max_tokens', {}, { model: 'claude-upstream', max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }],
    ['max_completion_tokens wins over max_tokens', { max_tokens: 10, max_completion_tokens: 20 }, { max_tokens: 20 }],
    ['max_tokens', { max_tokens: 10 }, { max_tokens: 10 }],
    ['stop string -> stop_sequences', { stop: 'END' }, { stop_sequences: ['END'] }],
    ['stop array -> stop_sequences', { stop: ['a', 'b'] }, { stop_sequences: ['a', 'b'] }],
    ['temperature and top_p', { temperature: 0.3, top_p: 0.9 }, { temperature: 0.3, top_p: 0.9 }],
    ['top_k', { top_k: 5 }, { top_k: 5 }],
    ['stream', { stream: true, stream_options: { include_usage: true } }, { stream: true }],
    ['user -> metadata.user_id', { user: 'end-user-7' }, { metadata: { user_id: 'end-user-7' } }],
    ['reasoning_effort -> thinking budget', { reasoning_effort: 'medium', max_tokens: 8000 }, { thinking: { type: 'enabled', budget_tokens: 4096 } }],
    ['reasoning_effort budget kept below max_tokens', { reasoning_effort: 'high', max_tokens: 2000 }, { thinking: { type: 'enabled', budget_tokens: 1999 } }],
    ['neutral values of unmappable fields are accepted', { n: 1, logprobs: false, frequency_penalty: 0, presence_penalty: 0, response_format: { type: 'text' }, seed: 3 }, {}],
  ])('%s', (_name, body, expected) => {
    const result = converted(body);
    expect(result).toMatchObject(expected);
    expect(result).not.toHaveProperty('stream_options');
    expect(result).not.toHaveProperty('seed');
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['n > 1', { n: 2 }, 'n'],
    ['logprobs', { logprobs: true }, 'logprobs'],
    ['json_schema response_format', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, 'response_format'],
    ['non-zero presence_penalty', { presence_penalty: 0.5 }, 'presence_penalty'],
    ['temperature above Anthropic range', { temperature: 1.5 }, 'temperature'],
    ['unknown field', { frobnicate: true }, 'frobnicate'],
    ['an inherited property name as a field', { constructor: 1 }, 'constructor'],
    ['an inherited property name as reasoning_effort', { reasoning_effort: 'toString' }, 'reasoning_effort'],
    ['legacy functions', { functions: [{ name: 'f' }] }, 'functions'],
    ['reasoning_effort with a small max_tokens', { reasoning_effort: 'low', max_tokens: 512 }, 'reasoning_effort'],
    ['audio input part', { messages: [user([{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }])] }, 'messages.0.content.0.type'],
    ['image with a file: URL', { messages: [user([{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }])] }, 'messages.0.content.0.image_url.url'],
    ['tool call arguments that are not JSON', { messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }, 'messages.0.tool_calls.0.function.arguments'],
    ['only system messages', { messages: [{ role: 'system', content: 'be brief' }] }, 'messages'],
  ])('refuses %s', (_name, body, param) => {
    const result = convert(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.param).toBe(param);
      expect(result.problem.message.length).toBeGreaterThan(10);
    }
  });
});

describe('convertOpenAiRequestToAnthropic: messages and tools', () => {
  test('system and developer messages -> system blocks; consecutive user turns merge', () => {
    const body = converted({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'answer in French', cache_control: { type: 'ephemeral' } }] },
        user('first'),
        user([{ type: 'text', text: 'second' }]),
        { role: 'assistant', content: 'ok' },
        { role: 'assistant', content: [{ type: 'text', text: 'more' }] },
        user(''),
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'be brief' },
      { type: 'text', text: 'answer in French', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'text', text: 'more' }] },
    ]);
  });

  test('images: data: URL -> base64 source, https URL -> url source', () => {
    const body = converted({
      messages: [
        user([
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
        ]),
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  test('tool calls -> tool_use, parallel tool results grouped in one user turn before new text', () => {
    const body = converted({
      messages: [
        user('weather in Paris and Oslo?'),
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'two lookups',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: 'rain' }] },
        user('thanks, and tomorrow?'),
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
        { type: 'function', function: { name: 'now' } },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'rain' },
          { type: 'text', text: 'thanks, and tomorrow?' },
        ],
      },
    ]);
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  test.each<[unknown, unknown]>([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ type: 'function', function: { name: 'now' } }, { type: 'tool', name: 'now' }],
    [undefined, undefined],
  ])('tool_choice %j -> %j', (choice, expected) => {
    const body = converted({ tools: [{ type: 'function', function: { name: 'now' } }], tool_choice: choice });
    expect(body.tool_choice).toEqual(expected);
  });

  test('reasoning_effort is left out of a request that continues a tool loop (no signed thinking to replay)', () => {
    const toolLoop = [
      user('weather?'),
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'sunny' },
    ];
    expect(converted({ reasoning_effort: 'low', messages: toolLoop })).not.toHaveProperty('thinking');
    expect(converted({ reasoning_effort: 'low', messages: [...toolLoop, { role: 'assistant', content: 'sunny' }, user('and tomorrow?')] })).toHaveProperty('thinking');
  });

  test('tool_choice without tools is left out', () => {
    expect(converted({ tool_choice: 'auto' })).not.toHaveProperty('tool_choice');
  });
});

describe('prepareAnthropicChat', () => {
  test('URL, headers and body of the upstream call', () => {
    const call = prepareAnthropicChat({ baseUrl: 'https://api.anthropic.com/', apiKey: 'sk-ant-secret', body: { model: 'alias', messages: [user('hi')], stream: true }, upstreamModel: 'claude-x', stream: true, userAgent: 'test/1' });
    expect(call.url).toBe('https://api.anthropic.com/v1/messages');
    expect(call.headers).toMatchObject({ 'x-api-key': 'sk-ant-secret', 'anthropic-version': '2023-06-01', 'content-type': 'application/json', accept: 'text/event-stream', 'user-agent': 'test/1' });
    expect(call.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(call.body)).toMatchObject({ model: 'claude-x', stream: true, max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS });
  });

  test('an unmappable parameter throws a 400 RelayError naming the parameter', () => {
    const prepare = () => prepareAnthropicChat({ baseUrl: 'https://api.anthropic.com', apiKey: 'k', body: { model: 'm', messages: [user('hi')], n: 3 }, upstreamModel: 'm', stream: false, userAgent: null });
    expect(prepare).toThrow(RelayError);
    try {
      prepare();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request', status: 400, param: 'n' });
    }
  });
});

describe('mapAnthropicStopReason', () => {
  test.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
  ])('%s -> %s', (stopReason, expected) => {
    expect(mapAnthropicStopReason(stopReason)).toBe(expected);
  });
});

describe('convertAnthropicUsage', () => {
  test.each<[string, Parameters<typeof convertAnthropicUsage>[0], TokenUsage | null]>([
    ['plain', { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: null, cache_creation_input_tokens: null }, { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }],
    ['cache read and write count in the prompt', { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 200, cache_creation_input_tokens: 30 }, { promptTokens: 240, completionTokens: 5, cacheReadTokens: 200, cacheWriteTokens: 30 }],
    ['no counts', { input_tokens: null, output_tokens: null, cache_read_input_tokens: null, cache_creation_input_tokens: null }, null],
    ['absent', null, null],
  ])('%s', (_name, usage, expected) => {
    expect(convertAnthropicUsage(usage)).toEqual(expected);
  });
});

describe('readAnthropicChatResponse', () => {
  test('thinking, text and tool_use -> one OpenAI message; cache usage billed and reported', () => {
    const raw = readFileSync(join(FIXTURES, 'message-with-tools.json'));
    const reading = readAnthropicChatResponse(raw);
    expect(reading).not.toBeNull();
    expect(reading?.usage).toEqual({ promptTokens: 1150, completionTokens: 40, cacheReadTokens: 1000, cacheWriteTokens: 50 });
    expect(reading?.empty).toBe(false);
    expect(JSON.parse(String(reading?.body))).toMatchObject({
      id: 'chatcmpl-msg_01Json',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Let me look that up.',
            reasoning_content: 'The user wants weather.',
            tool_calls: [{ id: 'toolu_01Json', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 1150, completion_tokens: 40, total_tokens: 1190, prompt_tokens_details: { cached_tokens: 1000 } },
    });
  });

  test.each([
    ['not JSON', 'nope'],
    ['an error body', '{"type":"error","error":{"type":"api_error","message":"x"}}'],
    ['a message without content', '{"type":"message","id":"m"}'],
    ['a tool_use block without id', '{"type":"message","content":[{"type":"tool_use","name":"f","input":{}}]}'],
  ])('%s -> null', (_name, text) => {
    expect(readAnthropicChatResponse(Buffer.from(text))).toBeNull();
  });

  test('tool-only reply has null content; no usage -> null usage', () => {
    const message = readAnthropicMessage({ type: 'message', id: 'm1', model: 'c', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }, { type: 'redacted_thinking', data: 'x' }], stop_reason: 'tool_use' });
    expect(message).not.toBeNull();
    const result = convertAnthropicResponseToOpenAi(message!, 'fallback', 0);
    expect(result.usage).toBeNull();
    expect(result.completion.choices[0]?.message).toEqual({ role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    expect(result.completion).not.toHaveProperty('usage');
  });
});

interface ChunkJson {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }>;
  usage?: Record<string, unknown>;
}

interface ReplayResult {
  processor: AnthropicToOpenAiStream;
  chunks: ChunkJson[];
  done: boolean;
  error: RelayError | null;
}

/** Replays a fixture (one event JSON per line) as named SSE frames through a fresh processor. */
function replay(fixture: string, clientWantsUsage: boolean, secrets: string[] = []): ReplayResult {
  const processor = new AnthropicToOpenAiStream(clientWantsUsage, secrets, 1_700_000_000_000);
  const chunks: ChunkJson[] = [];
  let done = false;
  let error: RelayError | null = null;
  const lines = readFileSync(join(FIXTURES, fixture), 'utf8').split('\n').filter(Boolean);
  for (const line of lines) {
    const type = (JSON.parse(line) as { type: string }).type;
    const action = processor.handleFrame(Buffer.from(`event: ${type}\ndata: ${line}\n\n`));
    if (action.kind === 'forward') throw new Error('an Anthropic frame must never pass through unchanged');
    if (action.kind === 'error') {
      error = action.error;
      break;
    }
    if (action.kind === 'replace') {
      for (const frame of action.frames) chunks.push(JSON.parse(sseFramePayload(frame) ?? 'null') as ChunkJson);
      if (action.done) done = true;
    }
  }
  return { processor, chunks, done, error };
}

describe('AnthropicToOpenAiStream (fixture replay)', () => {
  test('text with cache usage: role on the first delta, constant id, finish_reason, usage chunk when asked', () => {
    const { processor, chunks, done } = replay('text-with-cache.chunks.txt', true);
    expect(done).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['chatcmpl-msg_01TextCache']));
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'claude-sonnet-4-5')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', content: 'Hello' }, { content: ', wörld' }, { content: '!' }, {}, null]);
    expect(chunks[3]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 2312, completion_tokens: 6, total_tokens: 2318, prompt_tokens_details: { cached_tokens: 2000 } } });
    expect(processor.usage).toEqual({ promptTokens: 2312, completionTokens: 6, cacheReadTokens: 2000, cacheWriteTokens: 300 });
    expect(processor.sawContent).toBe(true);
    // ceil(bytes / 4), at least one per delta: 'Hello' 2 + ', wörld' 2 + '!' 1.
    expect(processor.streamedCompletionTokens).toBe(5);
  });

  test('usage is read for billing even when the client did not ask for the usage chunk', () => {
    const { processor, chunks } = replay('text-with-cache.chunks.txt', false);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(processor.usage).toEqual({ promptTokens: 2312, completionTokens: 6, cacheReadTokens: 2000, cacheWriteTokens: 300 });
  });

  test('parallel tool_use blocks -> tool_calls with their own index, id and name once, arguments streamed', () => {
    const { chunks, done, processor } = replay('parallel-tool-use.chunks.txt', false);
    expect(done).toBe(true);
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: 'Checking both cities.' },
      { tool_calls: [{ index: 0, id: 'toolu_01Paris', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_01Oslo', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"city": "Oslo"}' } }] },
      {},
    ]);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(processor.usage).toEqual({ promptTokens: 420, completionTokens: 71, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  test('thinking -> reasoning_content; signature dropped; max_tokens -> length', () => {
    const { chunks } = replay('thinking.chunks.txt', false);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', reasoning_content: 'Two plus two' },
      { reasoning_content: ' is four.' },
      { content: '4' },
      {},
    ]);
    expect(chunks[3]?.choices[0]?.finish_reason).toBe('length');
    expect(JSON.stringify(chunks)).not.toContain('EqQB');
  });

  test('event: error before any content -> an error action with a scrubbed message and no frames sent', () => {
    const { chunks, error, processor } = replay('overloaded-before-content.chunks.txt', false, ['sk-ant-api03-abcdefgh']);
    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(RelayError);
    expect(error?.code).toBe('upstream_error');
    expect(error?.message).toContain('Overloaded');
    expect(error?.message).not.toContain('sk-ant');
    expect(error?.message).not.toContain('anthropic.com');
    expect(processor.usage).toBeNull();
    expect(processor.sawContent).toBe(false);
  });

  test('a stream cut before message_delta reports no final usage (billing estimates from streamed deltas)', () => {
    const processor = new AnthropicToOpenAiStream(false, []);
    const frame = (payload: object) => Buffer.from(`event: x\ndata: ${JSON.stringify(payload)}\n\n`);
    processor.handleFrame(frame({ type: 'message_start', message: { id: 'm', usage: { input_tokens: 5, output_tokens: 1 } } }));
    processor.handleFrame(frame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'partial answer' } }));
    expect(processor.usage).toBeNull();
    expect(processor.streamedCompletionTokens).toBeGreaterThan(0);
    expect(processor.handleFrame(Buffer.from(': comment\n\n'))).toEqual({ kind: 'drop' });
    expect(processor.handleFrame(frame({ type: 'ping' }))).toEqual({ kind: 'drop' });
  });

  test('message_stop without any content still gives the client a role and a finish_reason', () => {
    const processor = new AnthropicToOpenAiStream(false, []);
    const action = processor.handleFrame(Buffer.from('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
    expect(action.kind).toBe('replace');
    if (action.kind === 'replace') {
      expect(action.done).toBe(true);
      expect(JSON.parse(sseFramePayload(action.frames[0] as Buffer) ?? '')).toMatchObject({ choices: [{ delta: { role: 'assistant' }, finish_reason: 'stop' }] });
    }
  });
});

describe('normaliseAnthropicError', () => {
  const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });
  test.each<[number, string, boolean, string]>([
    [400, 'invalid_request', false, body('invalid_request_error', 'messages: text content blocks must be non-empty')],
    [401, 'upstream_error', true, body('authentication_error', 'invalid x-api-key')],
    [403, 'upstream_error', true, body('permission_error', 'no access')],
    [404, 'model_not_found', false, body('not_found_error', 'model: claude-nope')],
    [413, 'body_too_large', false, body('request_too_large', 'too large')],
    [429, 'rate_limited', true, body('rate_limit_error', 'slow down')],
    [500, 'upstream_error', true, body('api_error', 'internal')],
    [529, 'upstream_error', true, body('overloaded_error', 'Overloaded')],
    [503, 'upstream_error', true, 'not json'],
  ])('%i -> %s (retryable %s)', (status, code, retryable, text) => {
    const failure = normaliseAnthropicError(status, text, []);
    expect(failure.error.code).toBe(code);
    expect(failure.retryable).toBe(retryable);
  });

  test('a user 400 keeps a useful message, scrubbed of secrets', () => {
    const failure = normaliseAnthropicError(400, body('invalid_request_error', 'bad key sk-ant-api03-secretvalue at https://internal.example/x'), ['sk-ant-api03-secretvalue']);
    expect(failure.error.message).toContain('bad key');
    expect(failure.error.message).not.toContain('secretvalue');
    expect(failure.error.message).not.toContain('internal.example');
  });
});

describe('anthropicModelPage', () => {
  const models = ['a', 'b', 'c', 'd', 'e'];
  test.each<[Record<string, unknown>, string[], boolean]>([
    [{}, ['a', 'b', 'c', 'd', 'e'], false],
    [{ limit: '2' }, ['a', 'b'], true],
    [{ limit: '2', after_id: 'b' }, ['c', 'd'], true],
    [{ limit: '2', after_id: 'c' }, ['d', 'e'], false],
    [{ limit: '2', before_id: 'd' }, ['b', 'c'], true],
    [{ limit: '2', before_id: 'c' }, ['a', 'b'], false],
  ])('%j -> %j (has_more %s)', (query, ids, hasMore) => {
    const reading = anthropicModelPage(models, query, 1_700_000_000);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.page.data.map((model) => model.id)).toEqual(ids);
    expect(reading.page.has_more).toBe(hasMore);
    expect(reading.page.first_id).toBe(ids[0]);
    expect(reading.page.last_id).toBe(ids[ids.length - 1]);
    expect(reading.page.data[0]).toEqual({ type: 'model', id: ids[0], display_name: ids[0], created_at: '2023-11-14T22:13:20.000Z' });
  });

  test.each(['0', '1001', 'x'])('limit %s is refused', (limit) => {
    expect(anthropicModelPage(models, { limit }, 0)).toMatchObject({ ok: false, param: 'limit' });
  });

  test.each<[Record<string, string>, boolean]>([
    [{ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, true],
    // Newer Anthropic SDKs send the key as a Bearer token.
    [{ authorization: 'Bearer k', 'anthropic-version': '2026-10-21' }, true],
    [{ authorization: 'Bearer k' }, false],
    [{ 'x-api-key': 'k' }, false],
  ])('headers %j -> Anthropic shape %s', (headers, expected) => {
    expect(wantsAnthropicModelList({ get: (name) => headers[name] ?? '' })).toBe(expected);
  });

  test('an empty list has null ids', () => {
    expect(anthropicModelPage([], {}, 0)).toEqual({ ok: true, page: { data: [], has_more: false, first_id: null, last_id: null } });
  });
});

describe('count_tokens helpers', () => {
  test.each<[Record<string, unknown>, string | null]>([
    [{ model: 'm', messages: [user('hi')] }, null],
    [{ model: 'm', messages: [user('hi')], system: 's', tools: [], thinking: { type: 'enabled', budget_tokens: 2000 } }, null],
    [{ messages: [user('hi')] }, 'model'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role'],
    [{ model: 'm', messages: [{ role: 'user', content: 3 }] }, 'messages.0.content'],
    [{ model: 'm', messages: [user('hi')], max_tokens: 5 }, 'max_tokens'],
    [{ model: 'm', messages: [user('hi')], system: 5 }, 'system'],
  ])('%j -> problem at %s', (body, param) => {
    expect(readCountTokensProblem(body)?.param ?? null).toBe(param);
  });

  test('local estimate grows with the prompt; the upstream answer is read strictly', () => {
    const small = estimateInputTokens({ model: 'm', messages: [user('hi')] });
    const large = estimateInputTokens({ model: 'm', messages: [user('hi '.repeat(400))] });
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small + 200);
    expect(readCountTokensResponse('{"input_tokens": 42}')).toBe(42);
    expect(readCountTokensResponse('{"input_tokens": -1}')).toBeNull();
    expect(readCountTokensResponse('oops')).toBeNull();
  });
});
