// Usage in OpenAI-style non-chat replies -> TokenUsage. One reader for every shape those replies use: completions and
// embeddings (`prompt_tokens`/`completion_tokens`), image and transcription replies (`input_tokens`/`output_tokens`),
// rerank replies of OpenAI-compatible vendors (`total_tokens` only).
import type { TokenUsage } from '@nebulagate/schema';

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `usage` of a parsed reply; null when there is none or it carries no token count. */
export function readOpenAiEndpointUsage(reply: unknown): TokenUsage | null {
  if (!isObject(reply) || !isObject(reply.usage)) return null;
  const usage = reply.usage;
  const completion = tokenCount(usage.completion_tokens) ?? tokenCount(usage.output_tokens);
  // total_tokens counts as input only when nothing else is reported (embeddings/rerank style).
  const prompt = tokenCount(usage.prompt_tokens) ?? tokenCount(usage.input_tokens) ?? (completion === null ? tokenCount(usage.total_tokens) : null);
  if (prompt === null && completion === null) return null;
  const details = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : isObject(usage.input_tokens_details) ? usage.input_tokens_details : null;
  const cached = Math.min(tokenCount(details?.cached_tokens) ?? 0, prompt ?? 0);
  return { promptTokens: prompt ?? 0, completionTokens: completion ?? 0, cacheReadTokens: cached, cacheWriteTokens: 0 };
}
