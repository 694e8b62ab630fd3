// Anthropic Messages named-event stream -> OpenAI chat completion chunks, one StreamProcessor per upstream stream.
// Usage is always read (message_start + message_delta, cache reads and writes included) so the stream is billed from
// real counts; the usage-only chunk is sent only when the caller asked for it. The role chunk waits for the first
// content, so an upstream error before any content can still fail over to another channel.
import type { TokenUsage } from '@nebulagate/schema';
import type { FrameAction, StreamProcessor } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { estimateTokensFromBytes } from '../../relay/usage-meter';
import { scrubUpstreamMessage } from '../openai/errors';
import { readAnthropicStreamEvent, type AnthropicStreamEvent, type AnthropicUsageReading, type JsonObject } from './anthropic-api';
import { convertAnthropicUsage, mergeAnthropicUsage, toOpenAiUsageBody, type OpenAiUsageBody } from './convert-anthropic-usage';
import { openAiCompletionId } from './convert-anthropic-response-to-openai';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';

const DROP: FrameAction = { kind: 'drop' };

/** The `data:` payload of an SSE frame (multi-line data joined per the SSE spec); null for a comment-only frame. */
export function sseFramePayload(frame: Buffer): string | null {
  const lines = frame.toString('utf8').split(/\r?\n/);
  const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  return data.length > 0 ? data.join('\n') : null;
}

export class AnthropicToOpenAiStream implements StreamProcessor {
  streamedCompletionTokens = 0;
  sawContent = false;
  private id = openAiCompletionId(null);
  private model = 'unknown';
  private readonly created: number;
  private roleSent = false;
  private finalUsage = false;
  private upstreamUsage: AnthropicUsageReading | null = null;
  /** Anthropic block index -> OpenAI tool_calls index. */
  private readonly toolIndexes = new Map<number, number>();

  constructor(
    private readonly clientWantsUsage: boolean,
    private readonly secrets: string[],
    now: number = Date.now(),
  ) {
    this.created = Math.floor(now / 1000);
  }

  /** The prompt counts message_start reported, for billing a stream cut before message_delta. */
  get promptUsage(): TokenUsage | null {
    const reported = convertAnthropicUsage(this.upstreamUsage);
    return reported ? { ...reported, completionTokens: 0 } : null;
  }

  /** Billing usage; only once message_delta reported the final counts (a cut stream is estimated instead). */
  get usage(): TokenUsage | null {
    return this.finalUsage ? convertAnthropicUsage(this.upstreamUsage) : null;
  }

  handleFrame(frame: Buffer): FrameAction {
    const payload = sseFramePayload(frame);
    if (payload === null) return DROP;
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return DROP;
    }
    const event = readAnthropicStreamEvent(json);
    return event ? this.handleEvent(event) : DROP;
  }

  handleEvent(event: AnthropicStreamEvent): FrameAction {
    switch (event.type) {
      case 'message_start':
        if (event.id) this.id = openAiCompletionId(event.id);
        if (event.model) this.model = event.model;
        this.upstreamUsage = mergeAnthropicUsage(this.upstreamUsage, event.usage);
        return DROP;
      case 'content_block_start':
        if (event.block.type === 'tool_use') {
          const toolIndex = this.toolIndexes.size;
          this.toolIndexes.set(event.index, toolIndex);
          this.countContent(event.block.name);
          return this.delta({ tool_calls: [{ index: toolIndex, id: event.block.id, type: 'function', function: { name: event.block.name, arguments: '' } }] });
        }
        if (event.block.type === 'text' && event.block.text) return this.textDelta('content', event.block.text);
        return DROP;
      case 'content_block_delta':
        return this.contentDelta(event.index, event.delta);
      case 'message_delta':
        this.upstreamUsage = mergeAnthropicUsage(this.upstreamUsage, event.usage);
        this.finalUsage = true;
        return this.replace([this.chunk([{ index: 0, delta: this.withRole({}), logprobs: null, finish_reason: mapAnthropicStopReason(event.stop_reason) }])]);
      case 'message_stop': {
        const frames: Buffer[] = [];
        // An upstream that skipped message_delta still gives the client a role and an end.
        if (!this.roleSent) frames.push(this.chunk([{ index: 0, delta: this.withRole({}), logprobs: null, finish_reason: 'stop' }]));
        const usage = this.usage;
        if (this.clientWantsUsage && usage) frames.push(this.chunk([], toOpenAiUsageBody(usage)));
        return { kind: 'replace', frames, done: true };
      }
      case 'error': {
        const scrubbed = event.message ? scrubUpstreamMessage(event.message, this.secrets) : '';
        return { kind: 'error', error: new RelayError('upstream_error', `The upstream provider failed during the stream${scrubbed ? `: ${scrubbed}` : '.'}`) };
      }
      default:
        // ping, content_block_stop and unknown events carry nothing for an OpenAI client.
        return DROP;
    }
  }

  private contentDelta(blockIndex: number, delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta']): FrameAction {
    switch (delta.type) {
      case 'text_delta':
        return delta.text ? this.textDelta('content', delta.text) : DROP;
      case 'thinking_delta':
        return delta.thinking ? this.textDelta('reasoning_content', delta.thinking) : DROP;
      case 'input_json_delta': {
        const toolIndex = this.toolIndexes.get(blockIndex);
        if (toolIndex === undefined || !delta.partial_json) return DROP;
        this.countContent(delta.partial_json);
        return this.delta({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] });
      }
      default:
        // signature_delta (kept by Anthropic only), citations_delta: no OpenAI equivalent.
        return DROP;
    }
  }

  private textDelta(field: 'content' | 'reasoning_content', text: string): FrameAction {
    this.countContent(text);
    return this.delta({ [field]: text });
  }

  private countContent(text: string): void {
    this.sawContent = true;
    // At least one token per delta, as for OpenAI upstreams.
    this.streamedCompletionTokens += Math.max(1, estimateTokensFromBytes(Buffer.byteLength(text)));
  }

  private withRole(delta: JsonObject): JsonObject {
    if (this.roleSent) return delta;
    this.roleSent = true;
    return { role: 'assistant', ...delta };
  }

  private delta(delta: JsonObject): FrameAction {
    return this.replace([this.chunk([{ index: 0, delta: this.withRole(delta), logprobs: null, finish_reason: null }])]);
  }

  private replace(frames: Buffer[]): FrameAction {
    return { kind: 'replace', frames };
  }

  private chunk(choices: JsonObject[], usage?: OpenAiUsageBody): Buffer {
    const chunk: JsonObject = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices };
    if (usage) chunk.usage = usage;
    return Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`);
  }
}

export function createAnthropicStreamProcessor(options: { clientWantsUsage: boolean; secrets: string[] }): StreamProcessor {
  return new AnthropicToOpenAiStream(options.clientWantsUsage, options.secrets);
}
