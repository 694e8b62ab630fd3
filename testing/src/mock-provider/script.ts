// What the mock provider should do for one request. Tests enqueue scripts; without one the default applies.
export interface MockScript {
  /** HTTP status; non-2xx answers with `errorBody` (or an OpenAI-shaped error). */
  status?: number;
  errorBody?: unknown;
  /** Delay before the response headers. */
  delayMs?: number;
  /** Reply text; split into this many stream chunks (default: one per word). */
  content?: string;
  chunkCount?: number;
  /** Pause between stream chunks. */
  chunkIntervalMs?: number;
  /** Leave usage out of the reply (and out of the stream's usage chunk). */
  omitUsage?: boolean;
  /** Usage to report; defaults derive from the request and reply. */
  usage?: { promptTokens: number; completionTokens: number; cachedTokens?: number };
  /** Destroy the socket after this many stream chunks (mid-stream failure). */
  resetAfterChunks?: number;
  /** End the stream cleanly after this many chunks, without a finish reason or [DONE] (a truncated answer). */
  endAfterChunks?: number;
  /** Send a mid-stream error frame after this many chunks, then end the stream. */
  errorAfterChunks?: number;
  /** Answer with these tool calls (after any `content`), finish reason tool_calls / tool_use. */
  toolCalls?: MockToolCall[];
  /** Reasoning text sent before the reply (OpenAI `reasoning_content`, Anthropic thinking block, Gemini thought part). */
  reasoning?: string;
  /** Finish reason in the provider's own vocabulary, e.g. 'length' / 'max_tokens' / 'MAX_TOKENS'. */
  finishReason?: string;
}

export interface MockToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export const DEFAULT_REPLY = 'Hello from the NebulaGate mock provider!';

/** A deterministic token count: one token per whitespace-separated word (at least one for non-empty text). */
export function countWords(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length;
}

export function splitIntoChunks(text: string, chunkCount: number | undefined): string[] {
  const words = text.split(/(?<=\s)/);
  if (!chunkCount || chunkCount >= words.length) return words;
  const size = Math.ceil(words.length / chunkCount);
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += size) chunks.push(words.slice(index, index + size).join(''));
  return chunks;
}

/** Text of every message in a request body, whatever the wire format, for a deterministic prompt-token count. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join(' ');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string') return record.text;
    if ('content' in record) return textOf(record.content);
    if ('parts' in record) return textOf(record.parts);
  }
  return '';
}

export function usageOf(promptText: string, reply: string, script: MockScript) {
  return {
    promptTokens: script.usage?.promptTokens ?? Math.max(1, countWords(promptText)),
    completionTokens: script.usage?.completionTokens ?? countWords(reply),
    cachedTokens: script.usage?.cachedTokens ?? 0,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
export function mockId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}`;
}
