// OpenAI wire format for the mock provider: chat completions (JSON and SSE) and the model list.
import type { ServerResponse } from 'node:http';
import { countWords, DEFAULT_REPLY, splitIntoChunks, type MockScript } from './script';

interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

function promptText(body: ChatRequestBody): string {
  return (body.messages ?? [])
    .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '')))
    .join(' ');
}

function usageFor(body: ChatRequestBody, reply: string, script: MockScript) {
  const promptTokens = script.usage?.promptTokens ?? Math.max(1, countWords(promptText(body)));
  const completionTokens = script.usage?.completionTokens ?? countWords(reply);
  const cachedTokens = script.usage?.cachedTokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sendOpenAIError(response: ServerResponse, status: number, body?: unknown): void {
  const payload = body ?? {
    error: { message: `mock upstream error ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null },
  };
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

export async function handleChatCompletion(response: ServerResponse, body: ChatRequestBody, script: MockScript): Promise<void> {
  const model = body.model ?? 'unknown';
  const reply = script.content ?? DEFAULT_REPLY;
  const id = `chatcmpl-mock${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = usageFor(body, reply, script);

  if (!body.stream) {
    const payload: Record<string, unknown> = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      system_fingerprint: 'fp_mock',
    };
    if (!script.omitUsage) payload.usage = usage;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });

  write(chunk({ role: 'assistant', content: '' }, null));
  const pieces = splitIntoChunks(reply, script.chunkCount);
  for (let index = 0; index < pieces.length; index += 1) {
    if (response.destroyed) return;
    if (script.resetAfterChunks !== undefined && index >= script.resetAfterChunks) {
      response.socket?.destroy();
      return;
    }
    if (script.errorAfterChunks !== undefined && index >= script.errorAfterChunks) {
      write({ error: { message: 'mock mid-stream failure', type: 'server_error', param: null, code: null } });
      response.end();
      return;
    }
    if (script.chunkIntervalMs) await sleep(script.chunkIntervalMs);
    write(chunk({ content: pieces[index] }, null));
  }
  write(chunk({}, 'stop'));
  if (body.stream_options?.include_usage && !script.omitUsage) {
    write({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [], usage });
  }
  response.write('data: [DONE]\n\n');
  response.end();
}

export function handleModelList(response: ServerResponse, models: string[]): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'mock' })) }),
  );
}
