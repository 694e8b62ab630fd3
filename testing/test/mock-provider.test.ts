import { startMockProvider, type MockProvider } from '@nebulagate/testing';

let provider: MockProvider;

beforeAll(async () => {
  provider = await startMockProvider();
});
afterAll(async () => {
  await provider.close();
});
beforeEach(() => provider.reset());

async function chat(body: Record<string, unknown>) {
  return fetch(`${provider.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say hi please' }], ...body }),
  });
}

describe('mock provider', () => {
  it('answers a chat completion with usage and records the request', async () => {
    const response = await chat({});
    const json = (await response.json()) as { choices: Array<{ message: { content: string } }>; usage: unknown };
    expect(json.choices[0]?.message.content).toContain('mock provider');
    expect(json.usage).toEqual(expect.objectContaining({ prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 }));
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]?.body).toEqual(expect.objectContaining({ model: 'gpt-4o-mini' }));
  });

  it('streams SSE chunks, with the usage chunk only when asked', async () => {
    provider.enqueue({ usage: { promptTokens: 7, completionTokens: 2 } });
    const text = await (await chat({ stream: true, stream_options: { include_usage: true } })).text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const usageFrame = JSON.parse(frames.at(-2)!.slice(6));
    expect(usageFrame.choices).toEqual([]);
    expect(usageFrame.usage.prompt_tokens).toBe(7);

    const plain = await (await chat({ stream: true })).text();
    expect(plain).not.toContain('"usage"');
  });

  it('follows scripted status codes and missing usage', async () => {
    provider.enqueue({ status: 503 }, { omitUsage: true });
    expect((await chat({})).status).toBe(503);
    const json = (await (await chat({})).json()) as { usage?: unknown };
    expect(json.usage).toBeUndefined();
  });

  it('sends a mid-stream error frame when scripted', async () => {
    provider.enqueue({ content: 'one two three four', errorAfterChunks: 2 });
    const text = await (await chat({ stream: true })).text();
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });
});
