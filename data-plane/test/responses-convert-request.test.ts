// Table tests for Responses request -> chat body: a recorded Codex request, each mapped field, and every refusal
// (a parameter that cannot be honoured is a 400 naming it, never a silent drop).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertResponsesRequestToOpenAi } from '../src/providers/openai-responses';

type JsonObject = Record<string, unknown>;

function fixture(name: string): JsonObject {
  return JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'responses', name), 'utf8')) as JsonObject;
}

function chatBody(request: JsonObject): JsonObject {
  const conversion = convertResponsesRequestToOpenAi(request);
  if (!conversion.ok) throw new Error(`unexpected refusal: ${conversion.problem.message}`);
  return conversion.body;
}

test('a recorded Codex request becomes the recorded chat body', () => {
  expect(chatBody(fixture('codex-request.json'))).toEqual(fixture('codex-request.chat.json'));
});

test('the echo keeps what a Response reports back', () => {
  const conversion = convertResponsesRequestToOpenAi(fixture('codex-request.json'));
  expect(conversion.ok && conversion.echo).toMatchObject({
    instructions: 'You are a coding agent running in the Codex CLI.',
    tools: [{ type: 'function', name: 'shell', strict: false, description: 'Runs a shell command and returns its output.' }],
    toolChoice: 'auto',
    parallelToolCalls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    text: { verbosity: 'low', format: { type: 'text' } },
    store: false,
  });
});

describe('mapped fields', () => {
  const base = { model: 'm', input: 'hi' };
  test.each<[string, JsonObject, JsonObject]>([
    ['string input', {}, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }],
    ['max_output_tokens', { max_output_tokens: 100 }, { max_completion_tokens: 100 }],
    ['temperature and top_p', { temperature: 0.2, top_p: 0.9 }, { temperature: 0.2, top_p: 0.9 }],
    ['text.format json_object', { text: { format: { type: 'json_object' } } }, { response_format: { type: 'json_object' } }],
    [
      'text.format json_schema',
      { text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } } },
      { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } } },
    ],
    ['reasoning.effort', { reasoning: { effort: 'high' } }, { reasoning_effort: 'high' }],
    ['tool_choice required', { tool_choice: 'required' }, { tool_choice: 'required' }],
    ['tool_choice function', { tool_choice: { type: 'function', name: 'f' } }, { tool_choice: { type: 'function', function: { name: 'f' } } }],
    [
      'tool_choice allowed_tools',
      { tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'f' }] } },
      { tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'f' } }] } } },
    ],
    ['stream adds the usage chunk request', { stream: true }, { stream: true, stream_options: { include_usage: true } }],
    ['ignored fields leave no trace', { store: true, metadata: { a: '1' }, user: 'u', include: ['message.output_text.logprobs'], service_tier: 'auto', truncation: 'disabled' }, { model: 'm' }],
    ['null refused fields are accepted', { previous_response_id: null, background: false, conversation: null }, { model: 'm' }],
  ])('%s', (_name, extra, expected) => {
    const body = chatBody({ ...base, ...extra });
    expect(body).toMatchObject(expected);
    for (const field of ['store', 'metadata', 'user', 'include', 'service_tier', 'truncation', 'input', 'instructions', 'text', 'reasoning', 'max_output_tokens']) {
      expect(body).not.toHaveProperty(field);
    }
  });

  test('parallel_tool_calls is only sent with tools (chat upstreams reject it alone)', () => {
    expect(chatBody({ ...base, parallel_tool_calls: false })).not.toHaveProperty('parallel_tool_calls');
  });

  test('message items: roles, content parts, files, and consecutive function calls joining one assistant message', () => {
    const body = chatBody({
      model: 'm',
      input: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' }, { type: 'input_text', text: 'read it' }] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'one' }, { type: 'input_text', text: 'two' }] },
        { type: 'function_call_output', call_id: 'c2', output: 'ok' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }, { type: 'text', text: 'read it' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'g', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'onetwo' },
      { role: 'tool', tool_call_id: 'c2', content: 'ok' },
      { role: 'assistant', content: 'no' },
    ]);
  });
});

test('images in tool results follow the run of tool messages as one user message (chat tool messages are text-only)', () => {
  const body = chatBody({
    model: 'm',
    input: [
      { type: 'function_call', call_id: 'c1', name: 'view_image', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'ls', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'here' }, { type: 'input_image', image_url: 'data:image/png;base64,AA==', detail: 'low' }] },
      { type: 'function_call_output', call_id: 'c2', output: 'a.txt' },
      { role: 'user', content: 'thanks' },
    ],
  });
  expect(body.messages).toEqual([
    { role: 'assistant', content: null, tool_calls: [expect.objectContaining({ id: 'c1' }), expect.objectContaining({ id: 'c2' })] },
    { role: 'tool', tool_call_id: 'c1', content: 'here\n[1 attachment(s) of this tool result follow in the next user message]' },
    { role: 'tool', tool_call_id: 'c2', content: 'a.txt' },
    { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==', detail: 'low' } }] },
    { role: 'user', content: 'thanks' },
  ]);
});

describe('refusals name the parameter', () => {
  test.each<[string, JsonObject, string]>([
    ['previous_response_id', { previous_response_id: 'resp_1' }, 'previous_response_id'],
    ['conversation', { conversation: { id: 'conv_1' } }, 'conversation'],
    ['background', { background: true }, 'background'],
    ['stored prompt', { prompt: { id: 'pmpt_1' } }, 'prompt'],
    ['top_logprobs', { top_logprobs: 3 }, 'top_logprobs'],
    ['unknown field', { frobnicate: 1 }, 'frobnicate'],
    ['web_search tool', { tools: [{ type: 'web_search' }] }, 'tools.0.type'],
    ['code_interpreter tool', { tools: [{ type: 'code_interpreter', container: { type: 'auto' } }] }, 'tools.0.type'],
    ['mcp tool', { tools: [{ type: 'mcp', server_label: 'x', server_url: 'https://example.com' }] }, 'tools.0.type'],
    ['image_generation tool', { tools: [{ type: 'image_generation' }] }, 'tools.0.type'],
    ['computer_use tool', { tools: [{ type: 'computer_use_preview', display_width: 1, display_height: 1, environment: 'linux' }] }, 'tools.0.type'],
    ['function tool without a name', { tools: [{ type: 'function', parameters: {} }] }, 'tools.0.name'],
    ['hosted tool_choice', { tool_choice: { type: 'file_search' } }, 'tool_choice.type'],
    ['item_reference input', { input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input.0.type'],
    ['hosted tool call in input', { input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'input.0.type'],
    ['image by file_id', { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1', detail: 'auto' }] }] }, 'input.0.content.0.file_id'],
    ['file by url', { input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] }] }, 'input.0.content.0'],
    ['bad part in a tool result', { input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'audio' }] }] }, 'input.0.output.0.type'],
    ['missing input', { input: undefined }, 'input'],
    ['bad role', { input: [{ role: 'tool', content: 'x' }] }, 'input.0.role'],
    ['bad max_output_tokens', { max_output_tokens: 0 }, 'max_output_tokens'],
    ['bad text.format', { text: { format: { type: 'yaml' } } }, 'text.format.type'],
  ])('%s', (_name, extra, param) => {
    const conversion = convertResponsesRequestToOpenAi({ model: 'm', input: 'hi', ...extra });
    expect(conversion.ok).toBe(false);
    if (!conversion.ok) {
      expect(conversion.problem.param).toBe(param);
      expect(conversion.problem.message.length).toBeGreaterThan(10);
    }
  });
});
