// Table tests for OpenAI -> Anthropic: finish reasons, JSON replies, the named-event stream and the error shape.
import { RelayError } from '../src/relay/relay-error';
import { toAnthropicErrorBody } from '../src/providers/anthropic/anthropic-error';
import { convertOpenAiResponseToAnthropic } from '../src/providers/anthropic/convert-openai-response-to-anthropic';
import { mapOpenAiFinishReason } from '../src/providers/anthropic/map-openai-finish-reason';
import { OpenAiToAnthropicStream } from '../src/providers/anthropic/openai-stream-to-anthropic-events';

describe('mapOpenAiFinishReason', () => {
  test.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('%s -> %s', (input, expected) => {
    expect(mapOpenAiFinishReason(input)).toBe(expected);
  });
});

describe('toAnthropicErrorBody', () => {
  test.each([
    ['invalid_api_key', 'authentication_error'],
    ['permission_denied', 'permission_error'],
    ['model_not_found', 'not_found_error'],
    ['invalid_json', 'invalid_request_error'],
    ['insufficient_quota', 'invalid_request_error'],
    ['rate_limited', 'rate_limit_error'],
    ['upstream_error', 'api_error'],
    ['no_available_channel', 'overloaded_error'],
  ] as const)('%s -> %s', (code, type) => {
    expect(toAnthropicErrorBody(new RelayError(code, 'msg'))).toEqual({ type: 'error', error: { type, message: 'msg' } });
  });
});

describe('convertOpenAiResponseToAnthropic', () => {
  test('text with cached usage', () => {
    const message = convertOpenAiResponseToAnthropic(
      {
        id: 'chatcmpl-abc',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } },
      },
      'claude-ish',
    );
    expect(message).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'claude-ish',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 6, output_tokens: 3, cache_read_input_tokens: 4 },
    });
  });
  test('tool calls become tool_use blocks with parsed input', () => {
    const message = convertOpenAiResponseToAnthropic(
      {
        id: 'chatcmpl-x',
        choices: [
          {
            message: { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'call_2', type: 'function', function: { name: 'g', arguments: 'not json' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 2 },
      },
      'm',
    );
    expect(message?.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
      { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
    ]);
    expect(message?.stop_reason).toBe('tool_use');
    expect(message?.usage).toEqual({ input_tokens: 1, output_tokens: 2 });
  });
  test('not a chat completion -> null', () => {
    expect(convertOpenAiResponseToAnthropic({ nope: true }, 'm')).toBeNull();
  });
});

function events(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: (eventLine ?? '').replace('event: ', ''), data: JSON.parse((dataLine ?? '').replace('data: ', '')) as Record<string, unknown> };
    });
}

const frame = (payload: unknown) => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);

describe('OpenAiToAnthropicStream', () => {
  test('text then tool call, closing with cumulative usage', () => {
    const stream = new OpenAiToAnthropicStream({ model: 'm', estimatedInputTokens: 7 });
    const chunks = [
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'Hi ' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'there' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"a":' } }] } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ];
    let text = '';
    for (const chunk of chunks) text += stream.frame(frame(chunk))?.toString('utf8') ?? '';
    expect(stream.frame(Buffer.from('data: [DONE]\n\n'))).toBeNull();
    text += stream.end({ promptTokens: 12, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }).toString('utf8');
    const parsed = events(text);
    expect(parsed.map((item) => item.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const item of parsed) expect(item.data.type).toBe(item.event);
    expect(parsed[0]?.data).toMatchObject({ message: { id: 'msg_1', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 7, output_tokens: 0 } } });
    expect(parsed[1]?.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(parsed[2]?.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi ' } });
    expect(parsed[5]?.data).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'f', input: {} } });
    expect(parsed[7]?.data).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } });
    expect(parsed[9]?.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 5, input_tokens: 12 } });
  });

  test('length finish and an empty stream still produce a complete message', () => {
    const stream = new OpenAiToAnthropicStream({ model: 'm', estimatedInputTokens: 1 });
    stream.frame(frame({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }));
    const parsed = events(stream.end(null).toString('utf8'));
    expect(parsed.map((item) => item.event)).toEqual(['message_delta', 'message_stop']);
    expect(parsed[0]?.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 0 } });
  });

  test('mid-stream failure -> event: error in Anthropic shape', () => {
    const stream = new OpenAiToAnthropicStream({ model: 'm', estimatedInputTokens: 1 });
    const parsed = events(stream.error(new RelayError('upstream_error', 'broke')).toString('utf8'));
    expect(parsed).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'broke' } } }]);
  });
});
