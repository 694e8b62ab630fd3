// Gemini generateContent wire format for the mock provider: generateContent, streamGenerateContent (alt=sse, data-only
// frames, no [DONE]), countTokens, embedContent and the model list.
import type { ServerResponse } from 'node:http';
import { countWords, DEFAULT_REPLY, sleep, splitIntoChunks, textOf, usageOf, type MockScript } from './script';

interface GenerateContentBody {
  contents?: unknown[];
  systemInstruction?: unknown;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function sendGeminiError(response: ServerResponse, status: number, body?: unknown): void {
  const payload = body ?? { error: { code: status, message: `mock upstream error ${status}`, status: STATUS_NAMES[status] ?? 'UNKNOWN' } };
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

function promptOf(body: GenerateContentBody): string {
  return `${textOf(body.systemInstruction ?? '')} ${textOf(body.contents ?? [])}`;
}

export function handleGeminiCountTokens(response: ServerResponse, body: GenerateContentBody & { generateContentRequest?: GenerateContentBody }): void {
  const request = body.generateContentRequest ?? body;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ totalTokens: Math.max(1, countWords(promptOf(request))) }));
}

export function handleEmbedContent(response: ServerResponse, body: { content?: unknown }): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ embedding: { values: [0.1, textOf(body.content).length / 100, -0.5] } }));
}

export async function handleGenerateContent(response: ServerResponse, model: string, body: GenerateContentBody, stream: boolean, script: MockScript): Promise<void> {
  const hasTools = Boolean(script.toolCalls?.length);
  const reply = script.content ?? (hasTools ? '' : DEFAULT_REPLY);
  const usage = usageOf(promptOf(body), reply + (script.reasoning ?? ''), script);
  const finishReason = script.finishReason ?? 'STOP';
  // Gemini reports thoughts apart from the candidates; together they are the completion.
  const thoughts = script.reasoning ? Math.min(countWords(script.reasoning), usage.completionTokens) : 0;
  const usageMetadata = {
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: usage.completionTokens - thoughts,
    totalTokenCount: usage.promptTokens + usage.completionTokens,
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
    ...(usage.cachedTokens ? { cachedContentTokenCount: usage.cachedTokens } : {}),
  };
  // Gemini 3 signs function calls; a client must send the signature back with the call.
  const toolParts = (script.toolCalls ?? []).map((call) => ({ functionCall: { name: call.name, args: call.arguments }, thoughtSignature: `mock-signature-${call.name}` }));
  const candidate = (parts: unknown[], finish: string | undefined) => ({ content: { role: 'model', parts }, index: 0, ...(finish ? { finishReason: finish } : {}) });

  if (!stream) {
    const parts: unknown[] = [];
    if (script.reasoning) parts.push({ text: script.reasoning, thought: true });
    if (reply) parts.push({ text: reply });
    parts.push(...toolParts);
    const payload: Record<string, unknown> = { candidates: [candidate(parts, finishReason)], modelVersion: model };
    if (!script.omitUsage) payload.usageMetadata = usageMetadata;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const frames: unknown[][] = [];
  if (script.reasoning) for (const piece of splitIntoChunks(script.reasoning, script.chunkCount)) frames.push([{ text: piece, thought: true }]);
  if (reply) for (const piece of splitIntoChunks(reply, script.chunkCount)) frames.push([{ text: piece }]);
  if (toolParts.length) frames.push(toolParts);
  for (let index = 0; index < frames.length; index += 1) {
    if (response.destroyed) return;
    if (script.resetAfterChunks !== undefined && index >= script.resetAfterChunks) {
      response.socket?.destroy();
      return;
    }
    if (script.errorAfterChunks !== undefined && index >= script.errorAfterChunks) {
      response.write(`data: ${JSON.stringify({ error: { code: 500, message: 'mock mid-stream failure', status: 'INTERNAL' } })}\n\n`);
      response.end();
      return;
    }
    if (script.chunkIntervalMs) await sleep(script.chunkIntervalMs);
    const last = index === frames.length - 1;
    const frame: Record<string, unknown> = { candidates: [candidate(frames[index]!, last ? finishReason : undefined)], modelVersion: model };
    if (last && !script.omitUsage) frame.usageMetadata = usageMetadata;
    response.write(`data: ${JSON.stringify(frame)}\n\n`);
  }
  response.end();
}
