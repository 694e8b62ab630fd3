// Anthropic Messages wire format for the mock provider: POST /v1/messages (JSON and named-event SSE, text, thinking,
// tool_use) and /v1/messages/count_tokens.
import type { ServerResponse } from 'node:http';
import { countWords, DEFAULT_REPLY, mockId, sleep, splitIntoChunks, textOf, usageOf, type MockScript } from './script';

/** Anthropic-only script fields: prompt tokens reported as written to the prompt cache (a subset of promptTokens). */
export interface AnthropicMockScript extends MockScript {
  cacheWriteTokens?: number;
}

interface MessagesRequestBody {
  model?: string;
  system?: unknown;
  messages?: unknown[];
  stream?: boolean;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function sendAnthropicError(response: ServerResponse, status: number, body?: unknown): void {
  const payload = body ?? { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message: `mock upstream error ${status}` } };
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

function promptOf(body: MessagesRequestBody): string {
  return `${textOf(body.system ?? '')} ${textOf(body.messages ?? [])}`;
}

export function handleCountTokens(response: ServerResponse, body: MessagesRequestBody): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ input_tokens: Math.max(1, countWords(promptOf(body))) }));
}

export async function handleMessages(response: ServerResponse, body: MessagesRequestBody, script: MockScript): Promise<void> {
  const model = body.model ?? 'unknown';
  const hasTools = Boolean(script.toolCalls?.length);
  const reply = script.content ?? (hasTools ? '' : DEFAULT_REPLY);
  const usage = usageOf(promptOf(body), reply + (script.reasoning ?? ''), script);
  const stopReason = script.finishReason ?? (hasTools ? 'tool_use' : 'end_turn');
  const id = mockId('msg_mock');
  const blocks: Array<Record<string, unknown>> = [];
  if (script.reasoning) blocks.push({ type: 'thinking', thinking: script.reasoning, signature: 'mock-signature' });
  if (reply) blocks.push({ type: 'text', text: reply });
  (script.toolCalls ?? []).forEach((call, index) => blocks.push({ type: 'tool_use', id: `toolu_mock${index}`, name: call.name, input: call.arguments }));
  const cacheWriteTokens = (script as AnthropicMockScript).cacheWriteTokens ?? 0;
  const usageBody = {
    input_tokens: usage.promptTokens - usage.cachedTokens - cacheWriteTokens,
    output_tokens: usage.completionTokens,
    cache_creation_input_tokens: cacheWriteTokens,
    cache_read_input_tokens: usage.cachedTokens,
  };

  if (!body.stream) {
    const payload: Record<string, unknown> = { id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null };
    if (!script.omitUsage) payload.usage = usageBody;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: string, data: Record<string, unknown>) => response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  const startUsage = script.omitUsage ? {} : { ...usageBody, output_tokens: 1 };
  send('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } });
  send('ping', {});

  const events: Array<[string, Record<string, unknown>]> = [];
  blocks.forEach((block, index) => {
    if (block.type === 'thinking') {
      events.push(['content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }]);
      for (const piece of splitIntoChunks(String(block.thinking), script.chunkCount)) events.push(['content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } }]);
      events.push(['content_block_delta', { index, delta: { type: 'signature_delta', signature: 'mock-signature' } }]);
    } else if (block.type === 'text') {
      events.push(['content_block_start', { index, content_block: { type: 'text', text: '' } }]);
      for (const piece of splitIntoChunks(String(block.text), script.chunkCount)) events.push(['content_block_delta', { index, delta: { type: 'text_delta', text: piece } }]);
    } else {
      events.push(['content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }]);
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      events.push(['content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } }]);
      events.push(['content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(half) } }]);
    }
    events.push(['content_block_stop', { index }]);
  });

  let deltasSent = 0;
  for (const [event, data] of events) {
    if (response.destroyed) return;
    if (event === 'content_block_delta') {
      if (script.resetAfterChunks !== undefined && deltasSent >= script.resetAfterChunks) {
        response.socket?.destroy();
        return;
      }
      if (script.errorAfterChunks !== undefined && deltasSent >= script.errorAfterChunks) {
        send('error', { error: { type: 'overloaded_error', message: 'mock mid-stream failure' } });
        response.end();
        return;
      }
      if (script.chunkIntervalMs) await sleep(script.chunkIntervalMs);
      deltasSent += 1;
    }
    send(event, data);
  }
  send('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: script.omitUsage ? {} : { output_tokens: usage.completionTokens } });
  send('message_stop', {});
  response.end();
}
