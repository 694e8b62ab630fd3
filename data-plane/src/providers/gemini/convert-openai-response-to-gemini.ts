// OpenAI chat completion (non-streaming) -> Gemini generateContent response, for callers that speak Gemini. Pure;
// null when the reply is not a chat completion.
import type { TokenUsage } from '@nebulagate/schema';
import { isJsonObject, tokenCount, type JsonObject } from './gemini-api';
import { mapOpenAiFinishReasonToGemini } from './map-gemini-finish-reason';

/** Tool arguments are a JSON string in OpenAI and an object in Gemini; unparseable arguments become {}. */
export function parseToolArguments(text: unknown): JsonObject {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** OpenAI counts reasoning inside completion_tokens; Gemini reports thoughts apart from the candidates. */
export function convertOpenAiUsageToGemini(usage: unknown): JsonObject | null {
  if (!isJsonObject(usage)) return null;
  const prompt = tokenCount(usage.prompt_tokens);
  const completion = tokenCount(usage.completion_tokens);
  const promptDetails = usage.prompt_tokens_details;
  const completionDetails = usage.completion_tokens_details;
  const cached = Math.min(isJsonObject(promptDetails) ? tokenCount(promptDetails.cached_tokens) : 0, prompt);
  const thoughts = Math.min(isJsonObject(completionDetails) ? tokenCount(completionDetails.reasoning_tokens) : 0, completion);
  const metadata: JsonObject = { promptTokenCount: prompt, candidatesTokenCount: completion - thoughts, totalTokenCount: prompt + completion };
  if (cached > 0) metadata.cachedContentTokenCount = cached;
  if (thoughts > 0) metadata.thoughtsTokenCount = thoughts;
  return metadata;
}

export function usageMetadataOf(usage: TokenUsage): JsonObject {
  const metadata: JsonObject = {
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: usage.completionTokens,
    totalTokenCount: usage.promptTokens + usage.completionTokens,
  };
  if (usage.cacheReadTokens > 0) metadata.cachedContentTokenCount = usage.cacheReadTokens;
  return metadata;
}

export function geminiResponseId(openAiId: unknown): string {
  return typeof openAiId === 'string' && openAiId ? openAiId.replace(/^chatcmpl-/, '') : `${Date.now()}`;
}

export function convertOpenAiResponseToGemini(response: unknown, model: string): JsonObject | null {
  if (!isJsonObject(response) || !Array.isArray(response.choices)) return null;
  const choice: unknown = response.choices[0];
  const parts: JsonObject[] = [];
  let finishReason: string | null = null;
  if (isJsonObject(choice)) {
    finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
    const message = choice.message;
    if (isJsonObject(message)) {
      if (typeof message.reasoning_content === 'string' && message.reasoning_content) parts.push({ text: message.reasoning_content, thought: true });
      if (typeof message.content === 'string' && message.content) parts.push({ text: message.content });
      else if (typeof message.refusal === 'string' && message.refusal) parts.push({ text: message.refusal });
      if (Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
          const name = typeof call.function.name === 'string' ? call.function.name : '';
          const functionCall: JsonObject = { name, args: parseToolArguments(call.function.arguments) };
          if (typeof call.id === 'string' && call.id) functionCall.id = call.id;
          parts.push({ functionCall });
        }
      }
    }
  }
  if (parts.length === 0) parts.push({ text: '' });
  const converted: JsonObject = {
    candidates: [{ content: { role: 'model', parts }, finishReason: mapOpenAiFinishReasonToGemini(finishReason), index: 0 }],
    modelVersion: model,
    responseId: geminiResponseId(response.id),
  };
  const usage = convertOpenAiUsageToGemini(response.usage);
  if (usage) converted.usageMetadata = usage;
  return converted;
}
