// OpenAI chat chunks -> Anthropic named SSE events: message_start, content_block_start/delta/stop (text, thinking,
// tool_use with input_json_delta), message_delta (stop_reason + cumulative usage), message_stop; `event: error` for a
// failure after the stream started.
import type { TokenUsage } from '@nebulagate/schema';
import { translateOpenAiChunkFrame, type ClientStreamTranslator } from '../../relay/client-wire';
import type { RelayError } from '../../relay/relay-error';
import { toAnthropicErrorBody } from './anthropic-error';
import { anthropicMessageId } from './convert-openai-response-to-anthropic';
import { mapOpenAiFinishReason, type AnthropicStopReason } from './map-openai-finish-reason';

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatAnthropicEvent(name: string, payload: JsonObject): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`;
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool_use'; toolIndex: number };

export class OpenAiToAnthropicStream implements ClientStreamTranslator {
  private started = false;
  private blockIndex = -1;
  private open: OpenBlock | null = null;
  private stopReason: AnthropicStopReason = 'end_turn';
  private messageId: string | null = null;

  constructor(private readonly options: { model: string; estimatedInputTokens: number }) {}

  frame(frame: Buffer): Buffer | null {
    return translateOpenAiChunkFrame(frame, (chunk) => this.chunk(chunk));
  }

  /** One parsed OpenAI chunk -> the Anthropic events it implies (as text). */
  chunk(chunk: unknown): string {
    if (!isJsonObject(chunk)) return '';
    let out = this.start(chunk.id);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice: unknown = choices[0];
    if (!isJsonObject(choice)) return out;
    const delta = choice.delta;
    if (isJsonObject(delta)) {
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
        out += this.ensureBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '' });
        out += formatAnthropicEvent('content_block_delta', { index: this.blockIndex, delta: { type: 'thinking_delta', thinking: delta.reasoning_content } });
      }
      const text = typeof delta.content === 'string' && delta.content ? delta.content : typeof delta.refusal === 'string' ? delta.refusal : '';
      if (text) {
        out += this.ensureBlock({ kind: 'text' }, { type: 'text', text: '' });
        out += formatAnthropicEvent('content_block_delta', { index: this.blockIndex, delta: { type: 'text_delta', text } });
      }
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) out += this.toolCall(call);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.stopReason = mapOpenAiFinishReason(choice.finish_reason);
    return out;
  }

  end(usage: TokenUsage | null): Buffer {
    let out = this.start(null) + this.closeBlock();
    const deltaUsage: JsonObject = { output_tokens: usage?.completionTokens ?? 0 };
    if (usage) {
      deltaUsage.input_tokens = usage.promptTokens - usage.cacheReadTokens;
      if (usage.cacheReadTokens > 0) deltaUsage.cache_read_input_tokens = usage.cacheReadTokens;
    }
    out += formatAnthropicEvent('message_delta', { delta: { stop_reason: this.stopReason, stop_sequence: null }, usage: deltaUsage });
    out += formatAnthropicEvent('message_stop', {});
    return Buffer.from(out);
  }

  error(error: RelayError): Buffer {
    return Buffer.from(`event: error\ndata: ${JSON.stringify(toAnthropicErrorBody(error))}\n\n`);
  }

  private start(openAiId: unknown): string {
    if (this.started) return '';
    this.started = true;
    this.messageId = anthropicMessageId(openAiId);
    return formatAnthropicEvent('message_start', {
      message: {
        id: this.messageId,
        type: 'message',
        role: 'assistant',
        model: this.options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The real count arrives with the upstream usage and is sent again in message_delta.
        usage: { input_tokens: this.options.estimatedInputTokens, output_tokens: 0 },
      },
    });
  }

  private toolCall(call: unknown): string {
    if (!isJsonObject(call)) return '';
    const toolIndex = typeof call.index === 'number' ? call.index : 0;
    const callFunction = isJsonObject(call.function) ? call.function : {};
    let out = '';
    const sameTool = this.open?.kind === 'tool_use' && this.open.toolIndex === toolIndex;
    if (!sameTool) {
      out += this.closeBlock();
      this.blockIndex += 1;
      this.open = { kind: 'tool_use', toolIndex };
      const id = typeof call.id === 'string' && call.id ? call.id : `toolu_${toolIndex}`;
      const name = typeof callFunction.name === 'string' ? callFunction.name : '';
      out += formatAnthropicEvent('content_block_start', { index: this.blockIndex, content_block: { type: 'tool_use', id, name, input: {} } });
    }
    if (typeof callFunction.arguments === 'string' && callFunction.arguments) {
      out += formatAnthropicEvent('content_block_delta', { index: this.blockIndex, delta: { type: 'input_json_delta', partial_json: callFunction.arguments } });
    }
    return out;
  }

  private ensureBlock(block: OpenBlock, contentBlock: JsonObject): string {
    if (this.open?.kind === block.kind && block.kind !== 'tool_use') return '';
    let out = this.closeBlock();
    this.blockIndex += 1;
    this.open = block;
    if (contentBlock.type === 'thinking') contentBlock.signature = '';
    out += formatAnthropicEvent('content_block_start', { index: this.blockIndex, content_block: contentBlock });
    return out;
  }

  private closeBlock(): string {
    if (!this.open) return '';
    this.open = null;
    return formatAnthropicEvent('content_block_stop', { index: this.blockIndex });
  }
}
