// Gemini generateContent reply -> OpenAI chat.completion (text, thought parts as reasoning_content, function calls as
// tool_calls with generated ids, finish reason, usage). Pure apart from the generated ids and timestamp.
import { randomBytes } from 'node:crypto';
import type { GeminiResponseReading, JsonObject } from './gemini-api';
import { generatedToolCallId, toolCallIdWithSignature } from './tool-call-id';
import { geminiUsageToOpenAi } from './convert-gemini-usage';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';

export function chatCompletionId(responseId: string | null): string {
  return `chatcmpl-${responseId ?? randomBytes(12).toString('hex')}`;
}

export interface ConvertedGeminiResponse {
  completion: JsonObject;
  /** UTF-8 bytes of generated text and tool arguments, for an estimate when usage is missing. */
  completionBytes: number;
}

export function convertGeminiResponseToOpenAi(reading: GeminiResponseReading, newToolCallId: () => string = generatedToolCallId): ConvertedGeminiResponse {
  let content = '';
  let reasoning = '';
  const toolCalls: JsonObject[] = [];
  let completionBytes = 0;
  for (const part of reading.candidate?.parts ?? []) {
    if (part.kind === 'text') {
      if (part.thought) reasoning += part.text;
      else content += part.text;
      completionBytes += Buffer.byteLength(part.text);
    } else if (part.kind === 'functionCall') {
      const argumentsText = JSON.stringify(part.call.args);
      completionBytes += Buffer.byteLength(argumentsText) + 1;
      toolCalls.push({ id: toolCallIdWithSignature(part.call.id ?? newToolCallId(), part.call.thoughtSignature), type: 'function', function: { name: part.call.name, arguments: argumentsText } });
    }
  }
  const message: JsonObject = { role: 'assistant', content: content === '' && toolCalls.length > 0 ? null : content };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finishReason = reading.candidate ? mapGeminiFinishReason(reading.candidate.finishReason, toolCalls.length > 0) : reading.blockReason ? 'content_filter' : 'stop';
  const completion: JsonObject = {
    id: chatCompletionId(reading.responseId),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reading.modelVersion ?? '',
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
  };
  if (reading.usage) completion.usage = geminiUsageToOpenAi(reading.usage);
  return { completion, completionBytes };
}
