// Anthropic Messages reply (non-streaming) -> OpenAI chat completion, plus what billing reads from it. Pure.
import type { TokenUsage } from '@nebulagate/schema';
import type { AnthropicMessageReading } from './anthropic-api';
import { convertAnthropicUsage, toOpenAiUsageBody, type OpenAiUsageBody } from './convert-anthropic-usage';
import { mapAnthropicStopReason, type OpenAiFinishReason } from './map-anthropic-stop-reason';

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string | null; refusal: null; reasoning_content?: string; tool_calls?: OpenAiToolCall[] };
    logprobs: null;
    finish_reason: OpenAiFinishReason;
  }>;
  usage?: OpenAiUsageBody;
}

export interface ConvertedAnthropicResponse {
  completion: OpenAiChatCompletion;
  usage: TokenUsage | null;
  /** UTF-8 bytes of text, thinking and tool arguments (+1 per tool call), for an estimate when usage is missing. */
  completionBytes: number;
}

/** Anthropic message ids (msg_...) become OpenAI-looking completion ids; the same id in JSON and stream replies. */
export function openAiCompletionId(messageId: string | null): string {
  return `chatcmpl-${messageId ?? Date.now().toString(36)}`;
}

export function convertAnthropicResponseToOpenAi(message: AnthropicMessageReading, fallbackModel: string, now: number = Date.now()): ConvertedAnthropicResponse {
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: OpenAiToolCall[] = [];
  let completionBytes = 0;
  for (const block of message.content) {
    if (block.type === 'text') {
      texts.push(block.text);
      completionBytes += Buffer.byteLength(block.text);
    } else if (block.type === 'thinking') {
      thinking.push(block.thinking);
      completionBytes += Buffer.byteLength(block.thinking);
    } else if (block.type === 'tool_use') {
      const argumentsText = JSON.stringify(block.input);
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: argumentsText } });
      completionBytes += Buffer.byteLength(argumentsText) + 1;
    }
  }
  const text = texts.join('');
  const assistant: OpenAiChatCompletion['choices'][number]['message'] = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : ''), refusal: null };
  if (thinking.length > 0) assistant.reasoning_content = thinking.join('');
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  const usage = convertAnthropicUsage(message.usage);
  const completion: OpenAiChatCompletion = {
    id: openAiCompletionId(message.id),
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: message.model ?? fallbackModel,
    choices: [{ index: 0, message: assistant, logprobs: null, finish_reason: mapAnthropicStopReason(message.stop_reason) }],
  };
  if (usage) completion.usage = toOpenAiUsageBody(usage);
  return { completion, usage, completionBytes };
}
