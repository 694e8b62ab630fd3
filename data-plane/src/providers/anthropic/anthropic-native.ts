// Native pass-through for Anthropic callers on Anthropic-type channels: the caller's Messages body goes upstream as is
// (model mapped, anthropic-version / anthropic-beta forwarded) and the reply and its events come back byte for byte, so
// nothing the conversion path cannot carry (cache_control, thinking signatures, documents, citations, server tools,
// stop_sequence, message ids) is lost. Usage is still read from the events for exact billing.
import type { TokenUsage } from '@nebulagate/schema';
import { RelayError } from '../../relay/relay-error';
import { estimateTokensFromBytes } from '../../relay/usage-meter';
import { scrubUpstreamMessage } from '../openai/errors';
import type { ChatResponseSummary, FrameAction, NativeCallInput, NativeChatAdapter, NativeStreamProcessor, PreparedUpstreamCall } from '../provider-adapter';
import { readAnthropicStreamEvent, readAnthropicUsage, isJsonObject, type AnthropicStreamEvent, type AnthropicUsageReading } from './anthropic-api';
import { anthropicHeaders, anthropicUrl } from './anthropic-chat';
import { toAnthropicErrorBody } from './anthropic-error';
import { sseFramePayload } from './anthropic-stream-to-openai-chunks';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage';

/** Caller headers that describe the Messages request itself and must reach the upstream unchanged. */
const FORWARDED_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

export function prepareAnthropicNative(input: NativeCallInput): PreparedUpstreamCall {
  const headers = anthropicHeaders(input.apiKey, input.stream, input.userAgent);
  for (const name of FORWARDED_HEADERS) {
    const value = input.callerHeader(name);
    if (value) headers[name] = value;
  }
  // Spreading keeps `model` where the caller put it, so the body differs from the caller's only in that value.
  const body = { ...input.body, model: input.upstreamModel };
  return { url: anthropicUrl(input.baseUrl, '/v1/messages'), headers, body: JSON.stringify(body) };
}

/** Bytes of what a content block generated (text, thinking, tool input), for an estimate when usage is missing. */
export function generatedBytesOfBlock(block: unknown): number {
  if (!isJsonObject(block)) return 0;
  let bytes = 0;
  if (typeof block.text === 'string') bytes += Buffer.byteLength(block.text);
  if (typeof block.thinking === 'string') bytes += Buffer.byteLength(block.thinking);
  if (block.input !== undefined && block.input !== null) bytes += Buffer.byteLength(JSON.stringify(block.input));
  return bytes;
}

export function readAnthropicNativeResponse(raw: Buffer): ChatResponseSummary | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (!isJsonObject(json) || json.type !== 'message' || !Array.isArray(json.content)) return null;
  const completionBytes = json.content.reduce((total: number, block: unknown) => total + generatedBytesOfBlock(block), 0);
  const usage = convertAnthropicUsage(readAnthropicUsage(json.usage));
  const empty = usage ? usage.completionTokens === 0 && completionBytes === 0 : completionBytes === 0;
  return { usage, completionBytes, empty };
}

/**
 * Forwards every frame as received. message_start and pings are held back until the first content event, so an
 * upstream that fails right after message_start (overloaded) can still fail over before the client saw a byte.
 */
export class AnthropicNativeStream implements NativeStreamProcessor {
  streamedCompletionTokens = 0;
  sawContent = false;
  complete = false;
  private held: Buffer[] | null = [];
  private finalUsage = false;
  private upstreamUsage: AnthropicUsageReading | null = null;

  constructor(private readonly secrets: string[]) {}

  /** Billing usage, once message_delta reported the final counts (a cut stream is estimated instead). */
  get usage(): TokenUsage | null {
    return this.finalUsage ? convertAnthropicUsage(this.upstreamUsage) : null;
  }

  handleFrame(frame: Buffer): FrameAction {
    const payload = sseFramePayload(frame);
    let event: AnthropicStreamEvent | null = null;
    if (payload !== null) {
      try {
        event = readAnthropicStreamEvent(JSON.parse(payload));
      } catch {
        event = null;
      }
    }
    if (event?.type === 'error') {
      const scrubbed = event.message ? scrubUpstreamMessage(event.message, this.secrets) : '';
      return { kind: 'error', error: new RelayError('upstream_error', `The upstream provider failed during the stream${scrubbed ? `: ${scrubbed}` : '.'}`) };
    }
    if (event) this.read(event);
    if (this.held) {
      this.held.push(frame);
      if (!event || event.type === 'message_start' || event.type === 'ping') return { kind: 'replace', frames: [] };
      const frames = this.held;
      this.held = null;
      return { kind: 'replace', frames };
    }
    return { kind: 'forward' };
  }

  errorFrame(error: RelayError): Buffer {
    return Buffer.from(`event: error\ndata: ${JSON.stringify(toAnthropicErrorBody(error))}\n\n`);
  }

  private read(event: AnthropicStreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.upstreamUsage = mergeAnthropicUsage(this.upstreamUsage, event.usage);
        return;
      case 'content_block_start':
        if (event.block.type === 'tool_use') this.count(event.block.name);
        else if (event.block.type === 'text' && event.block.text) this.count(event.block.text);
        return;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') this.count(event.delta.text);
        else if (event.delta.type === 'thinking_delta') this.count(event.delta.thinking);
        else if (event.delta.type === 'input_json_delta') this.count(event.delta.partial_json);
        return;
      case 'message_delta':
        this.upstreamUsage = mergeAnthropicUsage(this.upstreamUsage, event.usage);
        this.finalUsage = true;
        return;
      case 'message_stop':
        this.complete = true;
        return;
      default:
        return;
    }
  }

  private count(text: string): void {
    if (!text) return;
    this.sawContent = true;
    // At least one token per delta, as for the other stream processors.
    this.streamedCompletionTokens += Math.max(1, estimateTokensFromBytes(Buffer.byteLength(text)));
  }
}

/**
 * Messages and system as they are (their strings and text blocks are governance's slots), plus every tool_result
 * block as a message of its own (its `content` is a string or text blocks too); all slots are the body's own objects.
 */
export function anthropicTextView(body: Record<string, unknown>): Record<string, unknown> {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const toolResults: unknown[] = [];
  for (const message of messages) {
    if (!isJsonObject(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content) if (isJsonObject(block) && block.type === 'tool_result') toolResults.push(block);
  }
  return { messages: [...messages, ...toolResults], system: body.system };
}

export const anthropicNativeAdapter: NativeChatAdapter = {
  textView: anthropicTextView,
  protocol: 'anthropic',
  prepareNative: prepareAnthropicNative,
  readNativeResponse: readAnthropicNativeResponse,
  createNativeStreamProcessor: (options) => new AnthropicNativeStream(options.secrets),
};
