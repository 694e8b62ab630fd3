// The mock provider must be faithful to the wire formats: the official SDKs parse it directly here, so tests that use
// it through the gateway can trust what they see.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';

let provider: MockProvider;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  provider = await startMockProvider({ apiKeys: ['upstream-key'] });
  openai = new OpenAI({ apiKey: 'upstream-key', baseURL: provider.baseUrl, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'upstream-key', baseURL: provider.origin, maxRetries: 0 });
});
afterAll(async () => {
  await provider.close();
});
beforeEach(() => provider.reset());

const weather = { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } };

describe('OpenAI format through the openai SDK', () => {
  it('assembles streamed tool calls and reasoning in the stream helper', async () => {
    provider.enqueue({ toolCalls: [weather, { name: 'get_time', arguments: { zone: 'CET' } }] });
    const stream = openai.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls.map((call) => (call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : null))).toEqual([
      ['get_weather', weather.arguments],
      ['get_time', { zone: 'CET' }],
    ]);
  });

  it('answers embeddings with usage', async () => {
    const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['one two', 'three'] });
    expect(result.data).toHaveLength(2);
    expect(result.usage.prompt_tokens).toBe(3);
  });

  it('refuses a wrong key with an OpenAI-shaped 401', async () => {
    const wrong = new OpenAI({ apiKey: 'nope', baseURL: provider.baseUrl, maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
  });
});

describe('Anthropic format through the @anthropic-ai/sdk', () => {
  it('non-stream message with usage', async () => {
    const message = await anthropic.messages.create({ model: 'claude-mock-1', max_tokens: 100, messages: [{ role: 'user', content: 'hi there' }] });
    expect(message.content[0]).toEqual({ type: 'text', text: 'Hello from the NebulaGate mock provider!' });
    expect(message.usage.input_tokens).toBe(2);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('streams thinking, text and tool_use that the SDK assembles into its final message', async () => {
    provider.enqueue({ reasoning: 'let me think', content: 'Checking.', toolCalls: [weather], usage: { promptTokens: 30, completionTokens: 9 } });
    const stream = anthropic.messages.stream({ model: 'claude-mock-1', max_tokens: 100, messages: [{ role: 'user', content: 'weather?' }] });
    const final = await stream.finalMessage();
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(final.content[2]).toEqual(expect.objectContaining({ name: 'get_weather', input: weather.arguments }));
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBe(9);
  });

  it('counts tokens and sends Anthropic-shaped errors', async () => {
    const count = await anthropic.messages.countTokens({ model: 'claude-mock-1', messages: [{ role: 'user', content: 'a b c d' }] });
    expect(count.input_tokens).toBe(4);
    provider.enqueue({ status: 529 });
    await expect(anthropic.messages.create({ model: 'x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 529,
      error: { type: 'error', error: { type: 'overloaded_error' } },
    });
  });
});

describe('Gemini format over REST', () => {
  const call = (path: string, body: unknown) =>
    fetch(`${provider.origin}/v1beta/models/gemini-2.5-flash:${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'upstream-key' },
      body: JSON.stringify(body),
    });

  it('generateContent answers with candidates and usageMetadata', async () => {
    const json = (await (await call('generateContent', { contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] })).json()) as {
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
      usageMetadata: unknown;
    };
    expect(json.candidates[0]?.content.parts[0]?.text).toBe('Hello from the NebulaGate mock provider!');
    expect(json.usageMetadata).toEqual(expect.objectContaining({ promptTokenCount: 2, candidatesTokenCount: 6 }));
  });

  it('streamGenerateContent?alt=sse sends data-only frames, usage on the last, no [DONE]', async () => {
    provider.enqueue({ content: 'a b c', toolCalls: [weather] });
    const text = await (await call('streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] })).text();
    expect(text).not.toContain('event:');
    expect(text).not.toContain('[DONE]');
    const frames = text.trim().split('\n\n').map((frame) => JSON.parse(frame.slice('data: '.length)));
    expect(frames.at(-1).usageMetadata.candidatesTokenCount).toBe(3);
    expect(frames.at(-1).candidates[0].content.parts[0].functionCall).toEqual({ name: 'get_weather', args: weather.arguments });
  });

  it('refuses a wrong key with a Gemini-shaped error', async () => {
    const response = await fetch(`${provider.origin}/v1beta/models/gemini-2.5-flash:generateContent?key=wrong`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
  });
});
