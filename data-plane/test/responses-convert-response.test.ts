// Table tests for chat -> Responses: finish reasons, usage, a recorded JSON reply, and recorded chunk streams replayed
// through the translator and read back with the openai SDK's own SSE parser and response accumulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response as OpenAiResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Stream } from 'openai/streaming';
import { APIError } from 'openai';
import { convertResponsesRequestToOpenAi, type ResponsesRequestEcho } from '../src/providers/openai-responses';
import { convertOpenAiResponseToResponses } from '../src/providers/openai-responses/convert-openai-response-to-responses';
import { convertOpenAiUsageToResponses } from '../src/providers/openai-responses/convert-openai-usage-to-responses';
import { mapOpenAiFinishReason } from '../src/providers/openai-responses/map-openai-finish-reason';
import { OpenAiToResponsesStream } from '../src/providers/openai-responses/openai-stream-to-responses-events';
import { RelayError } from '../src/relay/relay-error';

const NOW = 1_732_370_999;

function fixtureText(name: string): string {
  return readFileSync(join(__dirname, '__fixtures__', 'responses', name), 'utf8');
}

function echoOf(request: Record<string, unknown>): ResponsesRequestEcho {
  const conversion = convertResponsesRequestToOpenAi({ model: 'gateway-model', input: 'hi', ...request });
  if (!conversion.ok) throw new Error(conversion.problem.message);
  return conversion.echo;
}

/** Replays recorded chunks (one JSON per line) through the translator: the bytes a client would receive. */
function replay(chunksFile: string, options: { usage?: Parameters<OpenAiToResponsesStream['end']>[0]; failAfter?: number } = {}): string {
  const translator = new OpenAiToResponsesStream({ model: 'gateway-model', echo: echoOf({ tools: [] }), now: () => NOW });
  const lines = fixtureText(chunksFile).split('\n').filter((line) => line.trim());
  let out = '';
  for (const [index, line] of lines.entries()) {
    if (options.failAfter !== undefined && index >= options.failAfter) {
      return out + translator.error(new RelayError('upstream_error', 'The upstream provider failed during the stream.')).toString('utf8');
    }
    out += translator.frame(Buffer.from(`data: ${line}\n\n`))?.toString('utf8') ?? '';
  }
  out += translator.frame(Buffer.from('data: [DONE]\n\n'))?.toString('utf8') ?? '';
  return out + translator.end(options.usage ?? null).toString('utf8');
}

/** What the openai SDK makes of those bytes: its events, and the response its accumulator builds from them. */
async function readWithSdk(text: string): Promise<{ events: ResponseStreamEvent[]; snapshot: OpenAiResponse | undefined; error: unknown }> {
  const stream = Stream.fromSSEResponse<ResponseStreamEvent>(new Response(text, { headers: { 'content-type': 'text/event-stream' } }), new AbortController());
  const events: ResponseStreamEvent[] = [];
  let snapshot: OpenAiResponse | undefined;
  try {
    for await (const event of stream) {
      events.push(event);
      snapshot = accumulateResponse(event, snapshot);
    }
  } catch (error) {
    return { events, snapshot, error };
  }
  return { events, snapshot, error: null };
}

/** Every frame names its event, and the name equals the payload's type. */
function expectNamedFrames(text: string): void {
  const frames = text.split('\n\n').filter(Boolean);
  for (const frame of frames) {
    const [eventLine, dataLine] = frame.split('\n');
    const name = eventLine?.replace(/^event: /, '');
    expect((JSON.parse(dataLine?.replace(/^data: /, '') ?? '{}') as { type: string }).type).toBe(name);
  }
}

/** item_id / output_index / content_index of every event point at the item the accumulator holds there. */
function expectConsistentIndexes(events: ResponseStreamEvent[]): void {
  const items = new Map<number, string>();
  for (const event of events) {
    if (event.type === 'response.output_item.added') {
      expect(items.has(event.output_index)).toBe(false);
      expect(event.output_index).toBe(items.size);
      items.set(event.output_index, event.item.id ?? '');
    } else if ('item_id' in event && 'output_index' in event) {
      expect(items.get(event.output_index)).toBe(event.item_id);
    }
  }
}

describe('mapOpenAiFinishReason', () => {
  test.each([
    ['stop', 'completed', null],
    ['tool_calls', 'completed', null],
    ['length', 'incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'incomplete', { reason: 'content_filter' }],
    [null, 'completed', null],
  ])('%s -> %s', (input, status, details) => {
    expect(mapOpenAiFinishReason(input)).toEqual({ status, incompleteDetails: details });
  });
});

describe('convertOpenAiUsageToResponses', () => {
  test.each<[string, unknown, unknown]>([
    ['not an object', null, null],
    ['no counts', { total_tokens: 3 }, null],
    [
      'cached and reasoning tokens',
      { prompt_tokens: 10, completion_tokens: 8, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 5 } },
      { input_tokens: 10, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 18 },
    ],
    [
      'details larger than totals are capped',
      { prompt_tokens: 2, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 9 }, completion_tokens_details: { reasoning_tokens: 9 } },
      { input_tokens: 2, input_tokens_details: { cached_tokens: 2, cache_write_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 3 },
    ],
  ])('%s', (_name, usage, expected) => {
    expect(convertOpenAiUsageToResponses(usage)).toEqual(expected);
  });
});

describe('convertOpenAiResponseToResponses', () => {
  test('a recorded chat completion with text and a tool call', () => {
    const echo = echoOf({ instructions: 'be brief', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: true }], temperature: 0 });
    const response = convertOpenAiResponseToResponses(JSON.parse(fixtureText('chat-completion-text-and-tool.json')), { model: 'gateway-model', echo, now: NOW });
    expect(response).toEqual({
      id: 'resp_AbC123',
      object: 'response',
      created_at: 1732370300,
      status: 'completed',
      completed_at: NOW,
      error: null,
      incomplete_details: null,
      instructions: 'be brief',
      max_output_tokens: null,
      model: 'gateway-model',
      output: [
        { type: 'message', id: 'msg_AbC123', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking the weather.', annotations: [], logprobs: [] }] },
        { type: 'function_call', id: 'fc_AbC123_0', status: 'completed', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: null,
      store: false,
      temperature: 0,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'get_weather', description: null, parameters: { type: 'object' }, strict: true }],
      top_p: null,
      truncation: 'disabled',
      usage: { input_tokens: 61, input_tokens_details: { cached_tokens: 32, cache_write_tokens: 0 }, output_tokens: 18, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 79 },
      user: null,
      metadata: {},
    });
  });

  test('refusal, length and a reply that is not a chat completion', () => {
    const echo = echoOf({});
    const refused = convertOpenAiResponseToResponses(
      { id: 'chatcmpl-r', choices: [{ message: { role: 'assistant', content: null, refusal: 'I cannot help.' }, finish_reason: 'length' }] },
      { model: 'm', echo, now: NOW },
    );
    expect(refused?.status).toBe('incomplete');
    expect(refused?.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(refused?.output).toEqual([{ type: 'message', id: 'msg_r', status: 'incomplete', role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help.' }] }]);
    expect(refused?.usage).toBeNull();
    expect(convertOpenAiResponseToResponses({ object: 'list' }, { model: 'm', echo, now: NOW })).toBeNull();
  });
});

describe('OpenAiToResponsesStream with recorded chunks', () => {
  test('reasoning then text, usage from the usage chunk (reasoning tokens included)', async () => {
    const text = replay('reasoning-text-usage.chunks.txt');
    expectNamedFrames(text);
    const { events, snapshot, error } = await readWithSdk(text);
    expect(error).toBeNull();
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    expectConsistentIndexes(events);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[0]).toMatchObject({ response: { id: 'resp_9f2a', status: 'in_progress', output: [], created_at: 1732370000, model: 'gateway-model' } });
    expect(snapshot?.status).toBe('completed');
    expect(snapshot?.output_text).toBe('Hello there!');
    expect(snapshot?.output).toEqual([
      { type: 'reasoning', id: 'rs_9f2a_0', status: 'completed', summary: [], content: [{ type: 'reasoning_text', text: 'The user greets me.' }] },
      { type: 'message', id: 'msg_9f2a_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello there!', annotations: [], logprobs: [] }] },
    ]);
    expect(snapshot?.usage).toEqual({ input_tokens: 12, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 21 });
  });

  test('parallel tool calls interleaved by index stay on their own items', async () => {
    const { events, snapshot, error } = await readWithSdk(replay('parallel-tool-calls.chunks.txt'));
    expect(error).toBeNull();
    expectConsistentIndexes(events);
    expect(snapshot?.output).toEqual([
      { type: 'function_call', id: 'fc_Bx7_0', status: 'completed', call_id: 'call_oslo', name: 'get_weather', arguments: '{"city": "Oslo"}' },
      { type: 'function_call', id: 'fc_Bx7_1', status: 'completed', call_id: 'call_rome', name: 'get_weather', arguments: '{"city": "Rome"}' },
    ]);
    const done = events.filter((event) => event.type === 'response.function_call_arguments.done');
    expect(done.map((event) => [event.output_index, event.arguments])).toEqual([
      [0, '{"city": "Oslo"}'],
      [1, '{"city": "Rome"}'],
    ]);
    expect(snapshot?.usage).toMatchObject({ input_tokens: 82, output_tokens: 44 });
  });

  test('length without a usage chunk -> response.incomplete with the relay usage', async () => {
    const usage = { promptTokens: 7, completionTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const { events, snapshot } = await readWithSdk(replay('text-then-length.chunks.txt', { usage }));
    expect(events.at(-1)?.type).toBe('response.incomplete');
    expect(snapshot?.status).toBe('incomplete');
    expect(snapshot?.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(snapshot?.output).toEqual([expect.objectContaining({ type: 'message', status: 'incomplete' })]);
    expect(snapshot?.output_text).toBe('Once upon a');
    expect(snapshot?.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, total_tokens: 10 });
  });

  test('a failure mid-stream -> response.failed, then a frame the SDK throws as APIError', async () => {
    const text = replay('reasoning-text-usage.chunks.txt', { failAfter: 4 });
    expectNamedFrames(text);
    const { events, snapshot, error } = await readWithSdk(text);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The upstream provider failed during the stream.');
    expect(events.at(-1)?.type).toBe('response.failed');
    expect(snapshot?.status).toBe('failed');
    expect(snapshot?.error).toEqual({ code: 'server_error', message: 'The upstream provider failed during the stream.' });
    // The reasoning item was finished before the text began; the text item was cut off.
    expect(snapshot?.output.map((item) => [item.type, 'status' in item ? item.status : null])).toEqual([
      ['reasoning', 'completed'],
      ['message', 'incomplete'],
    ]);
    const lastFrame = text.trim().split('\n\n').at(-1) ?? '';
    expect(lastFrame.startsWith('event: error\n')).toBe(true);
    expect(JSON.parse(lastFrame.split('\n')[1]?.replace(/^data: /, '') ?? '{}')).toEqual({
      type: 'error',
      sequence_number: events.length,
      code: 'upstream_error',
      message: 'The upstream provider failed during the stream.',
      param: null,
      error: { type: 'api_error', code: 'upstream_error', message: 'The upstream provider failed during the stream.', param: null },
    });
  });

  test('an upstream that ends without any chunk still gets a well-formed response', async () => {
    const translator = new OpenAiToResponsesStream({ model: 'm', echo: echoOf({}), now: () => NOW });
    const { events, snapshot, error } = await readWithSdk(translator.end(null).toString('utf8'));
    expect(error).toBeNull();
    expect(events.map((event) => event.type)).toEqual(['response.created', 'response.in_progress', 'response.completed']);
    expect(snapshot?.output).toEqual([]);
    expect(snapshot?.usage).toBeNull();
  });
});
