// Gemini usageMetadata -> our TokenUsage and OpenAI's usage object. Thoughts are output tokens (billed as completion);
// tool-use prompt tokens are input; cached content tokens are a part of the prompt, read from the cache.
import type { TokenUsage } from '@nebulagate/schema';
import type { GeminiUsageMetadata, JsonObject } from './gemini-api';

export function convertGeminiUsage(usage: GeminiUsageMetadata): TokenUsage {
  const promptTokens = usage.promptTokenCount + usage.toolUsePromptTokenCount;
  return {
    promptTokens,
    completionTokens: usage.candidatesTokenCount + usage.thoughtsTokenCount,
    cacheReadTokens: Math.min(usage.cachedContentTokenCount, promptTokens),
    cacheWriteTokens: 0,
  };
}

export function geminiUsageToOpenAi(usage: GeminiUsageMetadata): JsonObject {
  const converted = convertGeminiUsage(usage);
  const openAi: JsonObject = {
    prompt_tokens: converted.promptTokens,
    completion_tokens: converted.completionTokens,
    total_tokens: converted.promptTokens + converted.completionTokens,
  };
  if (converted.cacheReadTokens > 0) openAi.prompt_tokens_details = { cached_tokens: converted.cacheReadTokens };
  if (usage.thoughtsTokenCount > 0) openAi.completion_tokens_details = { reasoning_tokens: usage.thoughtsTokenCount };
  return openAi;
}
