// Readers for what an Anthropic Messages upstream sends back: the message JSON, usage, stream events and error
// bodies. Only the fields we use, each nullish, so upstream additions never break us (hand-written, no zod, like
// providers/openai/api.ts: these run on every reply and every stream frame).

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function tokenCountOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export interface AnthropicUsageReading {
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_input_tokens: number | null;
  cache_creation_input_tokens: number | null;
}

/** Token counts of a usage object; a missing or malformed count reads as null. */
export function readAnthropicUsage(value: unknown): AnthropicUsageReading | null {
  if (!isJsonObject(value)) return null;
  return {
    input_tokens: tokenCountOrNull(value.input_tokens),
    output_tokens: tokenCountOrNull(value.output_tokens),
    cache_read_input_tokens: tokenCountOrNull(value.cache_read_input_tokens),
    cache_creation_input_tokens: tokenCountOrNull(value.cache_creation_input_tokens),
  };
}

export type AnthropicContentReading =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  /** redacted_thinking, server tool blocks and anything newer: not part of an OpenAI reply. */
  | { type: 'other' };

function readContentBlock(value: unknown): AnthropicContentReading | null {
  if (!isJsonObject(value)) return null;
  switch (value.type) {
    case 'text':
      return typeof value.text === 'string' ? { type: 'text', text: value.text } : null;
    case 'thinking':
      return typeof value.thinking === 'string' ? { type: 'thinking', thinking: value.thinking } : null;
    case 'tool_use':
      if (typeof value.id !== 'string' || typeof value.name !== 'string') return null;
      return { type: 'tool_use', id: value.id, name: value.name, input: value.input ?? {} };
    default:
      return { type: 'other' };
  }
}

export interface AnthropicMessageReading {
  id: string | null;
  model: string | null;
  content: AnthropicContentReading[];
  stop_reason: string | null;
  usage: AnthropicUsageReading | null;
}

/** A non-streaming Messages reply; null when it is not a message. */
export function readAnthropicMessage(value: unknown): AnthropicMessageReading | null {
  if (!isJsonObject(value) || value.type !== 'message' || !Array.isArray(value.content)) return null;
  const content: AnthropicContentReading[] = [];
  for (const item of value.content) {
    const block = readContentBlock(item);
    if (!block) return null;
    content.push(block);
  }
  return {
    id: stringOrNull(value.id),
    model: stringOrNull(value.model),
    content,
    stop_reason: stringOrNull(value.stop_reason),
    usage: readAnthropicUsage(value.usage),
  };
}

/** The events a Messages stream carries, reduced to what the chunk converter needs. */
export type AnthropicStreamEvent =
  | { type: 'message_start'; id: string | null; model: string | null; usage: AnthropicUsageReading | null }
  | { type: 'content_block_start'; index: number; block: AnthropicContentReading }
  | { type: 'content_block_delta'; index: number; delta: AnthropicDeltaReading }
  | { type: 'content_block_stop' }
  | { type: 'message_delta'; stop_reason: string | null; usage: AnthropicUsageReading | null }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; message: string | null }
  | { type: 'unknown' };

export type AnthropicDeltaReading =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'input_json_delta'; partial_json: string }
  /** signature_delta, citations_delta and anything newer. */
  | { type: 'other' };

function readDelta(value: unknown): AnthropicDeltaReading {
  if (!isJsonObject(value)) return { type: 'other' };
  if (value.type === 'text_delta' && typeof value.text === 'string') return { type: 'text_delta', text: value.text };
  if (value.type === 'thinking_delta' && typeof value.thinking === 'string') return { type: 'thinking_delta', thinking: value.thinking };
  if (value.type === 'input_json_delta' && typeof value.partial_json === 'string') return { type: 'input_json_delta', partial_json: value.partial_json };
  return { type: 'other' };
}

function blockIndex(value: unknown): number {
  return tokenCountOrNull(value) ?? 0;
}

/** One parsed event payload (its `type` equals the SSE event name); null when it is not an object. */
export function readAnthropicStreamEvent(value: unknown): AnthropicStreamEvent | null {
  if (!isJsonObject(value)) return null;
  switch (value.type) {
    case 'message_start': {
      const message = isJsonObject(value.message) ? value.message : {};
      return { type: 'message_start', id: stringOrNull(message.id), model: stringOrNull(message.model), usage: readAnthropicUsage(message.usage) };
    }
    case 'content_block_start':
      return { type: 'content_block_start', index: blockIndex(value.index), block: readContentBlock(value.content_block) ?? { type: 'other' } };
    case 'content_block_delta':
      return { type: 'content_block_delta', index: blockIndex(value.index), delta: readDelta(value.delta) };
    case 'content_block_stop':
      return { type: 'content_block_stop' };
    case 'message_delta': {
      const delta = isJsonObject(value.delta) ? value.delta : {};
      return { type: 'message_delta', stop_reason: stringOrNull(delta.stop_reason), usage: readAnthropicUsage(value.usage) };
    }
    case 'message_stop':
      return { type: 'message_stop' };
    case 'ping':
      return { type: 'ping' };
    case 'error':
      return { type: 'error', message: readAnthropicErrorMessage(value)?.message ?? null };
    default:
      return { type: 'unknown' };
  }
}

/** `{"type":"error","error":{"type","message"}}` -> its type and message; null for another shape. */
export function readAnthropicErrorMessage(value: unknown): { type: string | null; message: string | null } | null {
  if (!isJsonObject(value) || !isJsonObject(value.error)) return null;
  return { type: stringOrNull(value.error.type), message: stringOrNull(value.error.message) };
}
