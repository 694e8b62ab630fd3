// Table tests for the Anthropic Messages request -> OpenAI chat request conversion.
import { convertAnthropicRequestToOpenAi } from '../src/providers/anthropic/convert-anthropic-request-to-openai';

const base = { model: 'gpt-4o-mini', max_tokens: 100 };

describe('convertAnthropicRequestToOpenAi', () => {
  const cases: Array<{ name: string; input: Record<string, unknown>; expected: Record<string, unknown> }> = [
    {
      name: 'string content, string system, sampling and stop sequences',
      input: { ...base, system: 'be brief', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5, top_p: 0.9, stop_sequences: ['END'], stream: true, metadata: { user_id: 'u1' } },
      expected: { model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], temperature: 0.5, top_p: 0.9, stop: ['END'], stream: true },
    },
    {
      name: 'system as text blocks (cache_control ignored)',
      input: { ...base, system: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'b' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
      expected: { model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'system', content: 'a\nb' }, { role: 'user', content: 'x' }] },
    },
    {
      name: 'images as base64 and url',
      input: {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            ],
          },
        ],
      },
      expected: {
        model: 'gpt-4o-mini',
        max_tokens: 100,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
      },
    },
    {
      name: 'tool_use and tool_result round trip, tools and tool_choice tool',
      input: {
        ...base,
        tools: [{ name: 'get_weather', description: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
        tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny' }] }, { type: 'text', text: 'thanks' }] },
        ],
      },
      expected: {
        model: 'gpt-4o-mini',
        max_tokens: 100,
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
          { role: 'user', content: 'thanks' },
        ],
      },
    },
    {
      name: 'tool_choice any -> required, error tool result',
      input: { ...base, tool_choice: { type: 'any' }, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'boom', is_error: true }] }] },
      expected: { model: 'gpt-4o-mini', max_tokens: 100, tool_choice: 'required', messages: [{ role: 'tool', tool_call_id: 't', content: 'Error: boom' }] },
    },
    {
      name: 'tool_choice auto and none',
      input: { ...base, tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'x' }] },
      expected: { model: 'gpt-4o-mini', max_tokens: 100, tool_choice: 'none', messages: [{ role: 'user', content: 'x' }] },
    },
  ];
  test.each(cases)('$name', ({ input, expected }) => {
    expect(convertAnthropicRequestToOpenAi(input)).toEqual({ ok: true, body: expected });
  });

  const refusals: Array<{ name: string; input: Record<string, unknown>; param: string }> = [
    { name: 'missing max_tokens', input: { model: 'm', messages: [{ role: 'user', content: 'x' }] }, param: 'max_tokens' },
    { name: 'missing model', input: { max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }, param: 'model' },
    { name: 'empty messages', input: { ...base, messages: [] }, param: 'messages' },
    { name: 'top_k cannot be mapped', input: { ...base, top_k: 5, messages: [{ role: 'user', content: 'x' }] }, param: 'top_k' },
    { name: 'unknown field', input: { ...base, frobnicate: 1, messages: [{ role: 'user', content: 'x' }] }, param: 'frobnicate' },
    { name: 'thinking enabled', input: { ...base, thinking: { type: 'enabled', budget_tokens: 10 }, messages: [{ role: 'user', content: 'x' }] }, param: 'thinking' },
    { name: 'bad role', input: { ...base, messages: [{ role: 'system', content: 'x' }] }, param: 'messages.0.role' },
    { name: 'document block', input: { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] }, param: 'messages.0.content.0.type' },
    { name: 'server tool', input: { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] }, param: 'tools.0.type' },
    { name: 'bad tool_choice', input: { ...base, tool_choice: { type: 'maybe' }, messages: [{ role: 'user', content: 'x' }] }, param: 'tool_choice.type' },
  ];
  test.each(refusals)('refuses: $name', ({ input, param }) => {
    const result = convertAnthropicRequestToOpenAi(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.param).toBe(param);
      expect(result.problem.message.length).toBeGreaterThan(0);
    }
  });
});
