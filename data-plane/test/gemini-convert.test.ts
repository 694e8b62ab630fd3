// Table tests for the Gemini converters, both directions, with fixtures (one JSON chunk per line) replayed through the
// stream processor and the client stream translator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertGeminiRequestToOpenAi } from '../src/providers/gemini/convert-gemini-request-to-openai';
import { convertGeminiUsage } from '../src/providers/gemini/convert-gemini-usage';
import { convertJsonSchemaToGemini } from '../src/providers/gemini/convert-json-schema-to-gemini';
import { convertOpenAiRequestToGemini } from '../src/providers/gemini/convert-openai-request-to-gemini';
import { convertOpenAiResponseToGemini } from '../src/providers/gemini/convert-openai-response-to-gemini';
import { generateContentUrl, prepareGeminiChat, readGeminiChatResponse } from '../src/providers/gemini/gemini-chat';
import { normaliseGeminiError, toGeminiErrorBody } from '../src/providers/gemini/gemini-error';
import { GeminiStreamProcessor } from '../src/providers/gemini/gemini-stream';
import { mapGeminiFinishReason, mapOpenAiFinishReasonToGemini } from '../src/providers/gemini/map-gemini-finish-reason';
import { OpenAiToGeminiStream } from '../src/providers/gemini/openai-stream-to-gemini-frames';
import { RelayError } from '../src/relay/relay-error';

const FIXTURES = join(__dirname, '__fixtures__', 'gemini');

function fixtureLines(name: string): string[] {
  return readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter((line) => line.trim() !== '');
}

function sseFrame(json: string): Buffer {
  return Buffer.from(`data: ${json}\n\n`);
}

function framePayloads(frames: Buffer[]): unknown[] {
  return frames.map((frame) => {
    const text = frame.toString('utf8');
    expect(text.startsWith('data: ')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    return JSON.parse(text.slice('data: '.length));
  });
}

function refusal(run: () => unknown): { message: string; param: string | null; status: number } {
  try {
    run();
  } catch (error) {
    if (error instanceof RelayError) return { message: error.message, param: error.param, status: error.status };
    throw error;
  }
  throw new Error('expected a RelayError');
}

describe('OpenAI request -> Gemini generateContent body', () => {
  test.each([
    {
      name: 'system, user, stop and sampling',
      body: {
        model: 'g',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'developer', content: [{ type: 'text', text: 'and kind' }] },
          { role: 'user', content: 'hi' },
        ],
        stop: 'END',
        max_tokens: 50,
        temperature: 0.2,
        top_p: 0.9,
        seed: 7,
        stream: true,
        stream_options: { include_usage: true },
        user: 'someone',
      },
      expected: {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        systemInstruction: { parts: [{ text: 'be brief\n\nand kind' }] },
        generationConfig: { stopSequences: ['END'], maxOutputTokens: 50, temperature: 0.2, topP: 0.9, seed: 7 },
      },
    },
    {
      name: 'max_completion_tokens wins over max_tokens, stop array',
      body: { model: 'g', messages: [{ role: 'user', content: 'x' }], max_tokens: 5, max_completion_tokens: 9, stop: ['a', 'b'] },
      expected: { contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { maxOutputTokens: 9, stopSequences: ['a', 'b'] } },
    },
    {
      name: 'images: data URL inline, https URL with a known extension as fileData',
      body: {
        model: 'g',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'compare' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.JPG?size=large' } },
            ],
          },
        ],
      },
      expected: {
        contents: [
          {
            role: 'user',
            parts: [{ text: 'compare' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }, { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } }],
          },
        ],
      },
    },
    {
      name: 'tool round trip: functionCall (signature from the id) and functionResponse named from the call',
      body: {
        model: 'g',
        messages: [
          { role: 'user', content: 'weather and time?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_a__sig__c2ln', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_a__sig__c2ln', content: '{"temp":21}' },
          { role: 'tool', tool_call_id: 'call_b', content: 'noon' },
          { role: 'user', content: 'thanks' },
        ],
      },
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'weather and time?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }, { functionCall: { name: 'get_time', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }, { functionResponse: { name: 'get_time', response: { content: 'noon' } } }, { text: 'thanks' }],
          },
        ],
      },
    },
    {
      name: 'tools with a cleaned schema; a parameterless tool; named tool_choice',
      body: {
        model: 'g',
        messages: [{ role: 'user', content: 'x' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'lookup',
              description: 'find',
              strict: true,
              parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties: { q: { type: 'string' } }, required: ['q'] },
            },
          },
          { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
        ],
        tool_choice: { type: 'function', function: { name: 'lookup' } },
        parallel_tool_calls: false,
      },
      expected: {
        contents: [{ role: 'user', parts: [{ text: 'x' }] }],
        tools: [
          {
            functionDeclarations: [
              { name: 'lookup', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
              { name: 'ping' },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } },
      },
    },
    {
      name: 'json_schema response format and reasoning effort',
      body: {
        model: 'g',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'r', strict: true, schema: { type: 'object', additionalProperties: false, properties: { n: { type: ['integer', 'null'] } } } } },
        reasoning_effort: 'low',
      },
      expected: {
        contents: [{ role: 'user', parts: [{ text: 'x' }] }],
        generationConfig: {
          responseMimeType: 'application/json',
          responseSchema: { type: 'object', properties: { n: { type: 'integer', nullable: true } } },
          thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
        },
      },
    },
  ])('$name', ({ body, expected }) => {
    expect(convertOpenAiRequestToGemini(body)).toEqual(expected);
  });

  test.each([
    { name: 'unknown parameter', body: { model: 'g', messages: [{ role: 'user', content: 'x' }], logit_bias: { '1': 2 } }, param: 'logit_bias' },
    { name: 'n > 1', body: { model: 'g', messages: [{ role: 'user', content: 'x' }], n: 2 }, param: 'n' },
    {
      name: 'image URL without a known type',
      body: { model: 'g', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/image' } }] }] },
      param: 'messages.0.content.0.image_url.url',
    },
    { name: 'tool result without a matching call', body: { model: 'g', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: 'r' }] }, param: 'messages.1.tool_call_id' },
    { name: 'non-function tool', body: { model: 'g', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'web_search' }] }, param: 'tools.0' },
    { name: 'unknown reasoning effort', body: { model: 'g', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'max' }, param: 'reasoning_effort' },
    { name: 'only a system message', body: { model: 'g', messages: [{ role: 'system', content: 'x' }] }, param: 'messages' },
  ])('refuses: $name', ({ body, param }) => {
    const problem = refusal(() => convertOpenAiRequestToGemini(body));
    expect(problem).toMatchObject({ param, status: 400 });
    expect(problem.message.length).toBeGreaterThan(0);
  });
});

describe('JSON schema -> Gemini schema', () => {
  test.each([
    { name: 'drops unknown keys, keeps known ones', schema: { type: 'string', $id: 'x', format: 'date', examples: ['a'], minLength: 1 }, expected: { type: 'string', format: 'date', minLength: 1 } },
    {
      name: 'inlines local $refs',
      schema: { type: 'object', properties: { item: { $ref: '#/$defs/Item' } }, $defs: { Item: { type: 'object', properties: { id: { type: 'integer' } } } } },
      expected: { type: 'object', properties: { item: { type: 'object', properties: { id: { type: 'integer' } } } } },
    },
    { name: 'anyOf with null becomes nullable', schema: { anyOf: [{ type: 'string' }, { type: 'null' }] }, expected: { type: 'string', nullable: true } },
    { name: 'const and numeric enums become string enums', schema: { type: 'array', items: { const: 3 } }, expected: { type: 'array', items: { enum: ['3'] } } },
  ])('$name', ({ schema, expected }) => {
    expect(convertJsonSchemaToGemini(schema)).toEqual(expected);
  });

  test('a recursive $ref is refused as a 400', () => {
    const schema = { type: 'object', properties: { child: { $ref: '#/$defs/Node' } }, $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } } };
    const problem = refusal(() => convertOpenAiRequestToGemini({ model: 'g', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 't', parameters: schema } }] }));
    expect(problem).toMatchObject({ param: 'tools.0.function.parameters', status: 400 });
  });
});

describe('upstream call', () => {
  test.each([
    { baseUrl: 'https://generativelanguage.googleapis.com', stream: false, expected: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent' },
    { baseUrl: 'https://proxy.example/v1beta/', stream: true, expected: 'https://proxy.example/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse' },
  ])('$baseUrl stream=$stream', ({ baseUrl, stream, expected }) => {
    expect(generateContentUrl(baseUrl, 'models/gemini-2.5-flash', stream)).toBe(expected);
  });

  test('the key goes in x-goog-api-key, never in the URL', () => {
    const call = prepareGeminiChat({ baseUrl: 'https://g.example', apiKey: 'AIza-secret', body: { model: 'x', messages: [{ role: 'user', content: 'hi' }] }, upstreamModel: 'gemini-2.5-flash', stream: true, userAgent: null });
    expect(call.headers['x-goog-api-key']).toBe('AIza-secret');
    expect(call.url).not.toContain('AIza-secret');
    expect(call.headers.authorization).toBeUndefined();
    expect(JSON.parse(call.body)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });
});

describe('Gemini reply -> OpenAI chat completion', () => {
  test.each([
    { reason: 'STOP', tools: false, expected: 'stop' },
    { reason: 'STOP', tools: true, expected: 'tool_calls' },
    { reason: 'MAX_TOKENS', tools: false, expected: 'length' },
    { reason: 'SAFETY', tools: false, expected: 'content_filter' },
    { reason: 'RECITATION', tools: false, expected: 'content_filter' },
    { reason: 'OTHER', tools: false, expected: 'stop' },
  ])('finish $reason (tools: $tools) -> $expected', ({ reason, tools, expected }) => {
    expect(mapGeminiFinishReason(reason, tools)).toBe(expected);
  });

  test.each([
    {
      usage: { promptTokenCount: 12, candidatesTokenCount: 4, thoughtsTokenCount: 15, cachedContentTokenCount: 8, toolUsePromptTokenCount: 0 },
      expected: { promptTokens: 12, completionTokens: 19, cacheReadTokens: 8, cacheWriteTokens: 0 },
    },
    {
      usage: { promptTokenCount: 7, candidatesTokenCount: 3, thoughtsTokenCount: 0, cachedContentTokenCount: 0, toolUsePromptTokenCount: 2 },
      expected: { promptTokens: 9, completionTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 },
    },
  ])('usage %#', ({ usage, expected }) => {
    expect(convertGeminiUsage(usage)).toEqual(expected);
  });

  test('text + thoughts (last fixture frame as a whole reply)', () => {
    const lines = fixtureLines('text-with-thoughts.chunks.txt');
    const merged = JSON.parse(lines[2] as string) as { candidates: Array<{ content: { parts: unknown[] } }> };
    merged.candidates[0]!.content.parts = [{ text: 'The user wants a greeting.', thought: true }, { text: 'Hello, world!' }];
    const reading = readGeminiChatResponse(Buffer.from(JSON.stringify(merged)));
    expect(reading?.usage).toEqual({ promptTokens: 12, completionTokens: 19, cacheReadTokens: 8, cacheWriteTokens: 0 });
    expect(reading?.empty).toBe(false);
    expect(JSON.parse(reading?.body.toString() ?? '')).toEqual({
      id: 'chatcmpl-resp-text-1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world!', reasoning_content: 'The user wants a greeting.' }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 19, total_tokens: 31, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 15 } },
    });
  });

  test('function calls get ids (carrying the signature) and finish_reason tool_calls', () => {
    const reading = readGeminiChatResponse(Buffer.from(fixtureLines('function-call.chunks.txt')[0] as string));
    const completion = JSON.parse(reading?.body.toString() ?? '') as { choices: Array<{ message: { content: unknown; tool_calls: Array<{ id: string; function: unknown }> }; finish_reason: string }> };
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls.map((call) => call.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{}' },
    ]);
    expect(choice.message.tool_calls[0]!.id).toMatch(/^call_[0-9a-f]{24}__sig__c2lnLTE=$/);
    expect(choice.message.tool_calls[1]!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(reading?.usage).toEqual({ promptTokens: 40, completionTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  test('MAX_TOKENS -> length; tool-use prompt tokens billed as input', () => {
    const reading = readGeminiChatResponse(readFileSync(join(FIXTURES, 'max-tokens.json')));
    const completion = JSON.parse(reading?.body.toString() ?? '') as { choices: Array<{ finish_reason: string; message: { content: string } }>; usage: unknown };
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Once upon a' } });
    expect(reading?.usage).toEqual({ promptTokens: 9, completionTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  test('a blocked prompt -> content_filter, empty reply, prompt still counted', () => {
    const reading = readGeminiChatResponse(readFileSync(join(FIXTURES, 'prompt-blocked.json')));
    const completion = JSON.parse(reading?.body.toString() ?? '') as { choices: Array<{ finish_reason: string; message: { content: string } }> };
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: '' } });
    expect(reading?.empty).toBe(true);
    expect(reading?.usage?.promptTokens).toBe(9);
  });

  test('an error body or non-JSON is unreadable', () => {
    expect(readGeminiChatResponse(Buffer.from('{"error":{"code":500,"message":"x","status":"INTERNAL"}}'))).toBeNull();
    expect(readGeminiChatResponse(Buffer.from('not json'))).toBeNull();
  });
});

describe('Gemini stream -> OpenAI chunks (fixtures replayed)', () => {
  function replay(name: string, clientWantsUsage: boolean) {
    let counter = 0;
    const processor = new GeminiStreamProcessor({ clientWantsUsage, secrets: [] }, () => `call_${(counter += 1)}`);
    const actions = fixtureLines(name).map((line) => processor.handleFrame(sseFrame(line)));
    return { processor, actions };
  }

  test('text with thoughts: constant id, role first, reasoning, finish, usage chunk only when asked', () => {
    for (const clientWantsUsage of [true, false]) {
      const { processor, actions } = replay('text-with-thoughts.chunks.txt', clientWantsUsage);
      expect(actions.map((action) => action.kind)).toEqual(['replace', 'replace', 'replace']);
      expect(actions.map((action) => (action.kind === 'replace' ? action.done === true : null))).toEqual([false, false, true]);
      const chunks = framePayloads(actions.flatMap((action) => (action.kind === 'replace' ? action.frames : []))) as Array<{ id: string; choices: Array<{ delta: unknown; finish_reason: string | null }>; usage?: unknown }>;
      expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['chatcmpl-resp-text-1']));
      expect(chunks.slice(0, 4).map((chunk) => [chunk.choices[0]?.delta, chunk.choices[0]?.finish_reason])).toEqual([
        [{ role: 'assistant', reasoning_content: 'The user wants a greeting.' }, null],
        [{ content: 'Hello' }, null],
        [{ content: ', world!' }, null],
        [{}, 'stop'],
      ]);
      if (clientWantsUsage) {
        expect(chunks).toHaveLength(5);
        expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 19, prompt_tokens_details: { cached_tokens: 8 } } });
      } else expect(chunks).toHaveLength(4);
      expect(processor.usage).toEqual({ promptTokens: 12, completionTokens: 19, cacheReadTokens: 8, cacheWriteTokens: 0 });
      expect(processor.sawContent).toBe(true);
      expect(processor.streamedCompletionTokens).toBeGreaterThan(0);
    }
  });

  test('function calls: one delta per call with index, id, name and whole arguments', () => {
    const { actions } = replay('function-call.chunks.txt', false);
    const chunks = framePayloads(actions.flatMap((action) => (action.kind === 'replace' ? action.frames : []))) as Array<{ choices: Array<{ delta: unknown; finish_reason: string | null }> }>;
    expect(chunks.map((chunk) => [chunk.choices[0]?.delta, chunk.choices[0]?.finish_reason])).toEqual([
      [{ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1__sig__c2lnLTE=', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, null],
      [{ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, null],
      [{}, 'tool_calls'],
    ]);
  });

  test('an error frame becomes a scrubbed RelayError', () => {
    const processor = new GeminiStreamProcessor({ clientWantsUsage: false, secrets: ['AIza-channel-key'] });
    const action = processor.handleFrame(sseFrame('{"error":{"code":500,"message":"key AIza-channel-key failed","status":"INTERNAL"}}'));
    expect(action.kind).toBe('error');
    if (action.kind === 'error') {
      expect(action.error.code).toBe('upstream_error');
      expect(action.error.message).not.toContain('AIza-channel-key');
    }
  });
});

describe('upstream errors', () => {
  const secrets = ['AIza-channel-key', 'https://g.example'];
  test.each([
    { status: 429, body: '{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}', code: 'rate_limited', retryable: true },
    { status: 503, body: '{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}', code: 'upstream_error', retryable: true },
    { status: 403, body: '{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}', code: 'upstream_error', retryable: true },
    {
      status: 400,
      body: '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}',
      code: 'upstream_error',
      retryable: true,
    },
    { status: 400, body: '{"error":{"code":400,"message":"User location is not supported","status":"FAILED_PRECONDITION"}}', code: 'upstream_error', retryable: true },
    { status: 400, body: '{"error":{"code":400,"message":"bad temperature for AIza-channel-key at https://g.example/v1beta","status":"INVALID_ARGUMENT"}}', code: 'invalid_request', retryable: false },
    { status: 404, body: '{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}', code: 'model_not_found', retryable: false },
    { status: 400, body: '{"error":{"code":400,"message":"bad request from AIzaSyOtherChannelKey123","status":"INVALID_ARGUMENT"}}', code: 'invalid_request', retryable: false },
  ])('$status $code', ({ status, body, code, retryable }) => {
    const failure = normaliseGeminiError(status, body, secrets);
    expect(failure.error.code).toBe(code);
    expect(failure.retryable).toBe(retryable);
    expect(failure.error.message).not.toContain('AIza-channel-key');
    expect(failure.error.message).not.toContain('g.example');
    expect(failure.error.message).not.toMatch(/AIza/);
  });

  test.each([
    { error: new RelayError('invalid_request', 'bad'), expected: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } },
    { error: new RelayError('invalid_api_key', 'no key'), expected: { code: 401, message: 'no key', status: 'UNAUTHENTICATED' } },
    { error: new RelayError('insufficient_quota', 'broke'), expected: { code: 402, message: 'broke', status: 'FAILED_PRECONDITION' } },
    { error: new RelayError('rate_limited', 'slow'), expected: { code: 429, message: 'slow', status: 'RESOURCE_EXHAUSTED' } },
    { error: new RelayError('model_not_found', 'who'), expected: { code: 404, message: 'who', status: 'NOT_FOUND' } },
  ])('client error body $expected.status', ({ error, expected }) => {
    expect(toGeminiErrorBody(error)).toEqual({ error: expected });
  });
});

describe('Gemini request (caller) -> OpenAI body', () => {
  test.each([
    {
      name: 'system, text turns, generation config',
      request: {
        systemInstruction: { parts: [{ text: 'be brief' }] },
        contents: [
          { role: 'user', parts: [{ text: 'hi' }] },
          { role: 'model', parts: [{ text: 'hello', thought: false }, { text: 'thinking', thought: true }] },
          { parts: [{ text: 'and?' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] },
        ],
        generationConfig: { temperature: 0.1, topP: 0.5, topK: 40, maxOutputTokens: 33, stopSequences: ['X'], candidateCount: 1, responseMimeType: 'application/json' },
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      },
      stream: true,
      expected: {
        model: 'm',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: [{ type: 'text', text: 'and?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        ],
        temperature: 0.1,
        top_p: 0.5,
        max_tokens: 33,
        stop: ['X'],
        response_format: { type: 'json_object' },
      },
    },
    {
      name: 'function call and response, tools and tool config',
      request: {
        contents: [
          { role: 'user', parts: [{ text: 'weather?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
        ],
        tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'w', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] }],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      },
      stream: false,
      expected: {
        model: 'm',
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1_0', content: '{"temp":21}' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'w', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      },
    },
  ])('$name', ({ request, stream, expected }) => {
    expect(convertGeminiRequestToOpenAi(request, 'm', stream)).toEqual({ ok: true, body: expected });
  });

  test.each([
    { name: 'no contents', request: { contents: [] }, param: 'contents' },
    { name: 'cachedContent', request: { contents: [{ parts: [{ text: 'x' }] }], cachedContent: 'cachedContents/1' }, param: 'cachedContent' },
    { name: 'google search tool', request: { contents: [{ parts: [{ text: 'x' }] }], tools: [{ googleSearch: {} }] }, param: 'tools.0.googleSearch' },
    { name: 'candidateCount 2', request: { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { candidateCount: 2 } }, param: 'generationConfig.candidateCount' },
    { name: 'orphan functionResponse', request: { contents: [{ parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, param: 'contents.0.parts.0.functionResponse' },
    { name: 'pdf inline data', request: { contents: [{ parts: [{ inlineData: { mimeType: 'application/pdf', data: 'AA' } }] }] }, param: 'contents.0.parts.0.inlineData.mimeType' },
  ])('refuses: $name', ({ request, param }) => {
    const conversion = convertGeminiRequestToOpenAi(request, 'm', false);
    expect(conversion).toEqual({ ok: false, problem: { param, message: expect.any(String) } });
  });
});

describe('OpenAI reply -> Gemini (client wire)', () => {
  test('text, reasoning and tool calls; usage split into candidates and thoughts', () => {
    const converted = convertOpenAiResponseToGemini(
      {
        id: 'chatcmpl-xyz',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: { role: 'assistant', content: 'checking', reasoning_content: 'hmm', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
      },
      'gpt-4o-mini',
    );
    expect(converted).toEqual({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'hmm', thought: true }, { text: 'checking' }, { functionCall: { name: 'f', args: { a: 1 }, id: 'call_9' } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      modelVersion: 'gpt-4o-mini',
      responseId: 'xyz',
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 17, cachedContentTokenCount: 4, thoughtsTokenCount: 2 },
    });
  });

  test.each([
    ['stop', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['content_filter', 'SAFETY'],
    ['tool_calls', 'STOP'],
    [null, 'STOP'],
  ])('finish %s -> %s', (reason, expected) => {
    expect(mapOpenAiFinishReasonToGemini(reason)).toBe(expected);
  });

  test('streamed OpenAI tool call (fixture) -> text frame, then one last frame with the whole functionCall and usage', () => {
    const translator = new OpenAiToGeminiStream({ model: 'gpt-4o-mini' });
    const out = fixtureLines('openai-tool-call.chunks.txt').flatMap((line) => {
      const frame = translator.frame(sseFrame(line));
      return frame ? [frame] : [];
    });
    out.push(translator.end({ promptTokens: 20, completionTokens: 6, cacheReadTokens: 0, cacheWriteTokens: 0 }));
    expect(framePayloads(out)).toEqual([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Let me check.' }] }, index: 0 }], modelVersion: 'gpt-4o-mini', responseId: 'abc' },
      {
        candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } } }] }, index: 0, finishReason: 'STOP' }],
        modelVersion: 'gpt-4o-mini',
        responseId: 'abc',
        usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 6, totalTokenCount: 26 },
      },
    ]);
    expect(framePayloads([translator.error(new RelayError('upstream_error', 'broke'))])).toEqual([{ error: { code: 502, message: 'broke', status: 'UNAVAILABLE' } }]);
  });

  test('a usage chunk from the upstream splits thoughts and cached tokens in the last frame', () => {
    const translator = new OpenAiToGeminiStream({ model: 'm' });
    expect(translator.frame(sseFrame('{"id":"chatcmpl-u","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}'))).not.toBeNull();
    const usageChunk = '{"id":"chatcmpl-u","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3}}}';
    expect(translator.frame(sseFrame(usageChunk))).toBeNull();
    const [last] = framePayloads([translator.end({ promptTokens: 9, completionTokens: 5, cacheReadTokens: 4, cacheWriteTokens: 0 })]);
    expect(last).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, thoughtsTokenCount: 3, cachedContentTokenCount: 4, totalTokenCount: 14 },
    });
  });
});
