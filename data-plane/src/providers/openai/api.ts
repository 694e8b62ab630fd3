// Readers for the OpenAI chat wire format: only the fields we read, each optional or null so upstream additions never
// break us. Hand-written instead of zod because they run on every request (the chat body) and every JSON reply, where
// schema parsing was a measurable share of the per-request CPU; the accepted shapes are the same as the former zod
// schemas (loose objects, nullish fields, non-negative safe integers for token counts).

/** A plain JSON object (not null, not an array). */
type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isNullishString(value: unknown): value is string | null | undefined {
  return isNullish(value) || typeof value === 'string';
}

export interface ChatRequest {
  model: string;
  messages: unknown[];
  stream?: boolean | null;
  stream_options?: ({ include_usage?: boolean | null } & JsonObject) | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  /** Every other field passes through to the upstream untouched. */
  [field: string]: unknown;
}

/** Why a chat body was refused: the message for the client and the parameter at fault. */
export interface ChatRequestProblem {
  message: string;
  param: string;
}

export type ChatRequestReading = { ok: true; request: ChatRequest } | { ok: false; problem: ChatRequestProblem };

function refuse(param: string, message: string): ChatRequestReading {
  return { ok: false, problem: { message, param } };
}

/** Checks the fields the gateway relies on; the first problem found is reported, in field order. */
export function readChatRequest(body: JsonObject): ChatRequestReading {
  const { model, messages, stream, stream_options: streamOptions, max_tokens: maxTokens, max_completion_tokens: maxCompletionTokens } = body;
  if (typeof model !== 'string' || model.length === 0) return refuse('model', 'you must provide a model parameter');
  if (!Array.isArray(messages) || messages.length === 0) return refuse('messages', "'messages' must be a non-empty array");
  if (!isNullish(stream) && typeof stream !== 'boolean') return refuse('stream', "'stream' must be a boolean");
  if (!isNullish(streamOptions)) {
    if (!isJsonObject(streamOptions)) return refuse('stream_options', "'stream_options' must be an object");
    const includeUsage = streamOptions.include_usage;
    if (!isNullish(includeUsage) && typeof includeUsage !== 'boolean') {
      return refuse('stream_options.include_usage', "'stream_options.include_usage' must be a boolean");
    }
  }
  if (!isNullish(maxTokens) && !isTokenCount(maxTokens)) return refuse('max_tokens', "'max_tokens' must be a non-negative integer");
  if (!isNullish(maxCompletionTokens) && !isTokenCount(maxCompletionTokens)) {
    return refuse('max_completion_tokens', "'max_completion_tokens' must be a non-negative integer");
  }
  // Every field read above has been checked to have the declared type.
  return { ok: true, request: body as ChatRequest };
}

export interface OpenAiUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

/** `undefined` = the value is not a usage object of the expected shape. */
export function readOpenAiUsage(value: unknown): OpenAiUsage | undefined {
  if (!isJsonObject(value)) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens, prompt_tokens_details: details } = value;
  if (!isNullish(promptTokens) && !isTokenCount(promptTokens)) return undefined;
  if (!isNullish(completionTokens) && !isTokenCount(completionTokens)) return undefined;
  if (!isNullish(details)) {
    if (!isJsonObject(details)) return undefined;
    if (!isNullish(details.cached_tokens) && !isTokenCount(details.cached_tokens)) return undefined;
  }
  return value as OpenAiUsage;
}

/** The parts of a non-streaming reply that billing reads. */
export interface ChatResponseReading {
  /** UTF-8 bytes of generated text, refusals and tool-call arguments (+1 per tool call). */
  completionBytes: number;
  usage: OpenAiUsage | null;
}

/** Measures a parsed chat completion reply; `null` when it does not have the chat completion shape. */
export function readChatResponse(value: unknown): ChatResponseReading | null {
  if (!isJsonObject(value)) return null;
  const { choices, usage } = value;
  let completionBytes = 0;
  if (!isNullish(choices)) {
    if (!Array.isArray(choices)) return null;
    for (const choice of choices) {
      if (!isJsonObject(choice)) return null;
      const message = choice.message;
      if (isNullish(message)) continue;
      if (!isJsonObject(message)) return null;
      const { content, refusal, tool_calls: toolCalls } = message;
      if (!isNullishString(content) || !isNullishString(refusal)) return null;
      completionBytes += Buffer.byteLength(content ?? '') + Buffer.byteLength(refusal ?? '');
      if (isNullish(toolCalls)) continue;
      if (!Array.isArray(toolCalls)) return null;
      for (const call of toolCalls) {
        if (!isJsonObject(call)) return null;
        const callFunction = call.function;
        if (!isNullish(callFunction) && !isJsonObject(callFunction)) return null;
        const callArguments = isNullish(callFunction) ? undefined : callFunction.arguments;
        if (!isNullishString(callArguments)) return null;
        completionBytes += Buffer.byteLength(callArguments ?? '') + 1;
      }
    }
  }
  if (isNullish(usage)) return { completionBytes, usage: null };
  const readUsage = readOpenAiUsage(usage);
  return readUsage ? { completionBytes, usage: readUsage } : null;
}

/** A streamed chunk that carries usage; `null` when the chunk has no readable usage. */
export function readStreamUsageChunk(value: unknown): { usage: OpenAiUsage; choiceCount: number } | null {
  if (!isJsonObject(value)) return null;
  const { choices, usage } = value;
  if (!isNullish(choices) && !Array.isArray(choices)) return null;
  if (isNullish(usage)) return null;
  const readUsage = readOpenAiUsage(usage);
  return readUsage ? { usage: readUsage, choiceCount: choices?.length ?? 0 } : null;
}

/** The upstream's error message from an OpenAI-shaped error body (`{"error": {...}}` or `{"error": "..."}`). */
export function readErrorMessage(value: unknown): { message: string | null } | null {
  if (!isJsonObject(value)) return null;
  const error = value.error;
  if (typeof error === 'string') return { message: error };
  if (!isJsonObject(error)) return null;
  const { message, type, code, param } = error;
  if (!isNullishString(message) || !isNullishString(type) || !isNullishString(param)) return null;
  if (!isNullish(code) && typeof code !== 'string' && typeof code !== 'number') return null;
  return { message: message ?? null };
}
