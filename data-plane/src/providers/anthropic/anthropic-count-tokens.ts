// POST /v1/messages/count_tokens: validate the caller's Anthropic body, build the upstream call for an Anthropic-type
// channel (the body goes through as the caller sent it, with the channel's model name), read its answer, or estimate
// locally when no Anthropic channel can answer. No money moves on this endpoint.
import type { PreparedUpstreamCall } from '../provider-adapter';
import { estimateTokensFromBytes } from '../../relay/usage-meter';
import { isJsonObject, type JsonObject } from './anthropic-api';
import { anthropicHeaders, anthropicUrl } from './anthropic-chat';

export interface CountTokensProblem {
  message: string;
  param: string;
}

/** The fields count_tokens accepts (Anthropic's own list); anything else is refused as Anthropic would. */
const ACCEPTED_FIELDS = new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers', 'context_management', 'output_format']);

/** Checks the shape the gateway relies on; the upstream checks the content in depth. null = acceptable. */
export function readCountTokensProblem(body: JsonObject): CountTokensProblem | null {
  for (const field of Object.keys(body)) {
    if (!ACCEPTED_FIELDS.has(field)) return { param: field, message: `${field}: Extra inputs are not permitted` };
  }
  const { model, messages, system, tools } = body;
  if (typeof model !== 'string' || model.length === 0) return { param: 'model', message: "'model' is required and must be a non-empty string" };
  if (!Array.isArray(messages) || messages.length === 0) return { param: 'messages', message: "'messages' must be a non-empty array" };
  for (const [index, message] of messages.entries()) {
    const param = `messages.${index}`;
    if (!isJsonObject(message)) return { param, message: `'${param}' must be an object` };
    if (message.role !== 'user' && message.role !== 'assistant') return { param: `${param}.role`, message: `'${param}.role' must be "user" or "assistant"` };
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      return { param: `${param}.content`, message: `'${param}.content' must be a string or an array of content blocks` };
    }
  }
  if (system !== undefined && system !== null && typeof system !== 'string' && !Array.isArray(system)) {
    return { param: 'system', message: "'system' must be a string or an array of text blocks" };
  }
  if (tools !== undefined && tools !== null && !Array.isArray(tools)) return { param: 'tools', message: "'tools' must be an array" };
  return null;
}

/** A local estimate from the bytes of everything that becomes prompt (same ~4 bytes/token rule as billing estimates). */
export function estimateInputTokens(body: JsonObject): number {
  const prompt = JSON.stringify({ system: body.system ?? null, messages: body.messages ?? [], tools: body.tools ?? null });
  return Math.max(1, estimateTokensFromBytes(Buffer.byteLength(prompt)));
}

export function prepareCountTokensCall(baseUrl: string, apiKey: string, body: JsonObject, upstreamModel: string, userAgent: string | null): PreparedUpstreamCall {
  return {
    url: anthropicUrl(baseUrl, '/v1/messages/count_tokens'),
    headers: anthropicHeaders(apiKey, false, userAgent),
    body: JSON.stringify({ ...body, model: upstreamModel }),
  };
}

/** `{"input_tokens": n}` -> n; null when the reply is not that. */
export function readCountTokensResponse(raw: string): number | null {
  try {
    const json: unknown = JSON.parse(raw);
    if (!isJsonObject(json)) return null;
    const count = json.input_tokens;
    return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : null;
  } catch {
    return null;
  }
}
