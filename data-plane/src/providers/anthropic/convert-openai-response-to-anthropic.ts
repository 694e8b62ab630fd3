// OpenAI chat completion (non-streaming) -> Anthropic Messages response. Pure; null when the reply is not a chat
// completion.
import { mapOpenAiFinishReason, type AnthropicStopReason } from './map-openai-finish-reason';

type JsonObject = Record<string, unknown>;

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: null;
  usage: AnthropicUsage;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** OpenAI counts cached prompt tokens inside prompt_tokens; Anthropic reports them apart from input_tokens. */
export function convertOpenAiUsageToAnthropic(usage: unknown): AnthropicUsage {
  if (!isJsonObject(usage)) return { input_tokens: 0, output_tokens: 0 };
  const prompt = count(usage.prompt_tokens);
  const details = usage.prompt_tokens_details;
  const cached = Math.min(isJsonObject(details) ? count(details.cached_tokens) : 0, prompt);
  const converted: AnthropicUsage = { input_tokens: prompt - cached, output_tokens: count(usage.completion_tokens) };
  if (cached > 0) converted.cache_read_input_tokens = cached;
  return converted;
}

/** Tool arguments are a JSON string in OpenAI and an object in Anthropic; unparseable arguments become {}. */
export function parseToolArguments(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export function anthropicMessageId(openAiId: unknown): string {
  const suffix = typeof openAiId === 'string' && openAiId ? openAiId.replace(/^chatcmpl-/, '') : `${Date.now()}`;
  return `msg_${suffix}`;
}

export function convertOpenAiResponseToAnthropic(response: unknown, model: string): AnthropicMessage | null {
  if (!isJsonObject(response) || !Array.isArray(response.choices)) return null;
  const choice: unknown = response.choices[0];
  const content: AnthropicContentBlock[] = [];
  let finishReason: string | null = null;
  if (isJsonObject(choice)) {
    finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
    const message = choice.message;
    if (isJsonObject(message)) {
      if (typeof message.reasoning_content === 'string' && message.reasoning_content) {
        content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
      }
      if (typeof message.content === 'string' && message.content) content.push({ type: 'text', text: message.content });
      else if (typeof message.refusal === 'string' && message.refusal) content.push({ type: 'text', text: message.refusal });
      if (Array.isArray(message.tool_calls)) {
        message.tool_calls.forEach((call: unknown, index: number) => {
          if (!isJsonObject(call) || !isJsonObject(call.function)) return;
          const name = typeof call.function.name === 'string' ? call.function.name : '';
          const id = typeof call.id === 'string' && call.id ? call.id : `toolu_${index}`;
          content.push({ type: 'tool_use', id, name, input: parseToolArguments(call.function.arguments) });
        });
      }
    }
  }
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: mapOpenAiFinishReason(finishReason),
    stop_sequence: null,
    usage: convertOpenAiUsageToAnthropic(response.usage),
  };
}
