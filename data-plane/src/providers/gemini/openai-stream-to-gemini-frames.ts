// OpenAI chat chunks -> Gemini streamGenerateContent?alt=sse frames (data-only, no [DONE]). Text and thoughts go out
// as they arrive; tool calls are assembled (OpenAI streams their arguments in pieces, Gemini sends a functionCall
// whole) and sent with the last frame, which also carries finishReason and usageMetadata.
import type { TokenUsage } from '@nebulagate/schema';
import { translateOpenAiChunkFrame, type ClientStreamTranslator } from '../../relay/client-wire';
import type { RelayError } from '../../relay/relay-error';
import { isJsonObject, type JsonObject } from './gemini-api';
import { toGeminiErrorBody } from './gemini-error';
import { convertOpenAiUsageToGemini, geminiResponseId, parseToolArguments, usageMetadataOf } from './convert-openai-response-to-gemini';
import { mapOpenAiFinishReasonToGemini } from './map-gemini-finish-reason';

function dataFrame(payload: JsonObject): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

interface ToolCallDraft {
  id: string | null;
  name: string;
  argumentsText: string;
}

export class OpenAiToGeminiStream implements ClientStreamTranslator {
  private responseId: string | null = null;
  private finishReason: string | null = null;
  private readonly toolCalls = new Map<number, ToolCallDraft>();
  /** From the upstream's usage chunk: splits thoughts from candidates, which the relay's TokenUsage cannot. */
  private usageMetadata: JsonObject | null = null;

  constructor(private readonly options: { model: string }) {}

  frame(frame: Buffer): Buffer | null {
    return translateOpenAiChunkFrame(frame, (chunk) => this.chunk(chunk));
  }

  /** One parsed OpenAI chunk -> the Gemini frame it implies (as text; '' = nothing to send yet). */
  chunk(chunk: unknown): string {
    if (!isJsonObject(chunk)) return '';
    this.responseId ??= geminiResponseId(chunk.id);
    if (isJsonObject(chunk.usage)) this.usageMetadata = convertOpenAiUsageToGemini(chunk.usage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice: unknown = choices[0];
    if (!isJsonObject(choice)) return '';
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (!isJsonObject(delta)) return '';
    const parts: JsonObject[] = [];
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) parts.push({ text: delta.reasoning_content, thought: true });
    if (typeof delta.content === 'string' && delta.content) parts.push({ text: delta.content });
    else if (typeof delta.refusal === 'string' && delta.refusal) parts.push({ text: delta.refusal });
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) this.collectToolCall(call);
    return parts.length > 0 ? dataFrame(this.response(parts, null)) : '';
  }

  end(usage: TokenUsage | null): Buffer {
    const parts: JsonObject[] = [...this.toolCalls.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, draft]) => ({ functionCall: { ...(draft.id ? { id: draft.id } : {}), name: draft.name, args: parseToolArguments(draft.argumentsText) } }));
    if (parts.length === 0) parts.push({ text: '' });
    const last = this.response(parts, mapOpenAiFinishReasonToGemini(this.finishReason));
    const usageMetadata = this.usageMetadata ?? (usage ? usageMetadataOf(usage) : null);
    if (usageMetadata) last.usageMetadata = usageMetadata;
    return Buffer.from(dataFrame(last));
  }

  error(error: RelayError): Buffer {
    return Buffer.from(dataFrame({ ...toGeminiErrorBody(error) }));
  }

  private collectToolCall(call: unknown): void {
    if (!isJsonObject(call)) return;
    const index = typeof call.index === 'number' ? call.index : 0;
    const draft = this.toolCalls.get(index) ?? { id: null, name: '', argumentsText: '' };
    const callFunction = isJsonObject(call.function) ? call.function : {};
    if (typeof call.id === 'string' && call.id) draft.id = call.id;
    if (typeof callFunction.name === 'string' && callFunction.name) draft.name = callFunction.name;
    if (typeof callFunction.arguments === 'string') draft.argumentsText += callFunction.arguments;
    this.toolCalls.set(index, draft);
  }

  private response(parts: JsonObject[], finishReason: string | null): JsonObject {
    const candidate: JsonObject = { content: { role: 'model', parts }, index: 0 };
    if (finishReason) candidate.finishReason = finishReason;
    return { candidates: [candidate], modelVersion: this.options.model, responseId: this.responseId ?? geminiResponseId(null) };
  }
}
