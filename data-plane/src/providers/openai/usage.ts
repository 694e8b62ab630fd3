// OpenAI usage -> our TokenUsage (cached prompt tokens are cache reads; OpenAI reports no cache writes).
import type { TokenUsage } from '@nebulagate/schema';
import type { OpenAiUsage } from './api';

export function convertOpenAiUsage(usage: OpenAiUsage): TokenUsage | null {
  if (usage.prompt_tokens == null && usage.completion_tokens == null) return null;
  const promptTokens = usage.prompt_tokens ?? 0;
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, promptTokens);
  return { promptTokens, completionTokens: usage.completion_tokens ?? 0, cacheReadTokens: cached, cacheWriteTokens: 0 };
}
