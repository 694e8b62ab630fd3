// OpenAI wire format for the mock provider: chat completions (JSON and SSE, text, reasoning, tool calls), embeddings and
// the model list.
import type { ServerResponse } from 'node:http';
import { DEFAULT_REPLY, mockId, sleep, splitIntoChunks, textOf, usageOf, type MockScript } from './script';

interface ChatRequestBody {
  model?: string;
  messages?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

function openAIUsage(body: ChatRequestBody, reply: string, script: MockScript) {
  const usage = usageOf(textOf(body.messages ?? []), reply, script);
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
  };
}

export function sendOpenAIError(response: ServerResponse, status: number, body?: unknown): void {
  const payload = body ?? {
    error: { message: `mock upstream error ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null },
  };
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

function toolCallsOf(script: MockScript) {
  return (script.toolCalls ?? []).map((call, index) => ({
    index,
    id: `call_mock${index}`,
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

export async function handleChatCompletion(response: ServerResponse, body: ChatRequestBody, script: MockScript): Promise<void> {
  const model = body.model ?? 'unknown';
  const hasTools = Boolean(script.toolCalls?.length);
  const reply = script.content ?? (hasTools ? '' : DEFAULT_REPLY);
  const id = mockId('chatcmpl-mock');
  const created = Math.floor(Date.now() / 1000);
  const usage = openAIUsage(body, reply + (script.reasoning ?? ''), script);
  const finishReason = script.finishReason ?? (hasTools ? 'tool_calls' : 'stop');
  const toolCalls = toolCallsOf(script);

  if (!body.stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: reply || null, refusal: null };
    if (script.reasoning) message.reasoning_content = script.reasoning;
    if (hasTools) message.tool_calls = toolCalls.map(({ index: _index, ...call }) => call);
    const payload: Record<string, unknown> = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      system_fingerprint: 'fp_mock',
    };
    if (!script.omitUsage) payload.usage = usage;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

  write(chunk({ role: 'assistant', content: '' }, null));
  const deltas: Array<Record<string, unknown>> = [];
  if (script.reasoning) for (const piece of splitIntoChunks(script.reasoning, script.chunkCount)) deltas.push({ reasoning_content: piece });
  if (reply) for (const piece of splitIntoChunks(reply, script.chunkCount)) deltas.push({ content: piece });
  for (const call of toolCalls) {
    const argumentsText = call.function.arguments;
    const half = Math.ceil(argumentsText.length / 2);
    deltas.push({ tool_calls: [{ index: call.index, id: call.id, type: 'function', function: { name: call.function.name, arguments: argumentsText.slice(0, half) } }] });
    deltas.push({ tool_calls: [{ index: call.index, function: { arguments: argumentsText.slice(half) } }] });
  }
  for (let index = 0; index < deltas.length; index += 1) {
    if (response.destroyed) return;
    if (script.resetAfterChunks !== undefined && index >= script.resetAfterChunks) {
      response.socket?.destroy();
      return;
    }
    if (script.endAfterChunks !== undefined && index >= script.endAfterChunks) {
      response.end(); // a clean close that never finished: no finish_reason, no [DONE]
      return;
    }
    if (script.errorAfterChunks !== undefined && index >= script.errorAfterChunks) {
      write({ error: { message: 'mock mid-stream failure', type: 'server_error', param: null, code: null } });
      response.end();
      return;
    }
    if (script.chunkIntervalMs) await sleep(script.chunkIntervalMs);
    write(chunk(deltas[index]!, null));
  }
  write(chunk({}, finishReason));
  if (body.stream_options?.include_usage && !script.omitUsage) {
    write({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [], usage });
  }
  response.write('data: [DONE]\n\n');
  response.end();
}

export function handleEmbeddings(response: ServerResponse, body: { model?: string; input?: unknown }, script: MockScript): void {
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  const promptTokens = script.usage?.promptTokens ?? inputs.reduce<number>((sum, input) => sum + Math.max(1, textOf(input).split(/\s+/).filter(Boolean).length), 0);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      object: 'list',
      model: body.model ?? 'unknown',
      data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: [0.1 * (index + 1), textOf(input).length / 100, -0.5] })),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    }),
  );
}

export function handleModelList(response: ServerResponse, models: string[]): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'mock' })) }),
  );
}
