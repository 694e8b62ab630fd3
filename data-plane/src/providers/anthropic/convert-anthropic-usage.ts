// Anthropic usage -> our TokenUsage (for billing) and OpenAI's usage object (for the caller). Anthropic reports cache
// reads and cache writes apart from input_tokens; OpenAI and our TokenUsage count them inside the prompt tokens.
import type { TokenUsage } from '@nebulagate/schema';
import type { AnthropicUsageReading } from './anthropic-api';

export interface OpenAiUsageBody {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

/** null when the upstream reported no token counts at all. */
export function convertAnthropicUsage(usage: AnthropicUsageReading | null): TokenUsage | null {
  if (!usage || (usage.input_tokens === null && usage.output_tokens === null)) return null;
  const cacheReadTokens = usage.cache_read_input_tokens ?? 0;
  const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
  return {
    promptTokens: (usage.input_tokens ?? 0) + cacheReadTokens + cacheWriteTokens,
    completionTokens: usage.output_tokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
  };
}

/** Later counts win field by field (a stream's message_delta carries cumulative counts for what it reports). */
export function mergeAnthropicUsage(earlier: AnthropicUsageReading | null, later: AnthropicUsageReading | null): AnthropicUsageReading | null {
  if (!earlier) return later;
  if (!later) return earlier;
  return {
    input_tokens: later.input_tokens ?? earlier.input_tokens,
    output_tokens: later.output_tokens ?? earlier.output_tokens,
    cache_read_input_tokens: later.cache_read_input_tokens ?? earlier.cache_read_input_tokens,
    cache_creation_input_tokens: later.cache_creation_input_tokens ?? earlier.cache_creation_input_tokens,
  };
}

export function toOpenAiUsageBody(usage: TokenUsage): OpenAiUsageBody {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
  };
}
