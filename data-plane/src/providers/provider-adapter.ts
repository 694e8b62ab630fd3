// What the relay needs from a provider: build the upstream call, read usage, walk stream frames, normalise errors.
// Provider quirks stay in the provider's folder; the relay only sees this interface. The relay's lingua franca is
// OpenAI chat: an adapter for another protocol converts the OpenAI body to its own on the way out, and its replies and
// stream frames back to OpenAI's on the way in (a client wire then converts to the caller's protocol if needed).
import type { TokenUsage } from '@nebulagate/schema';
import type { RelayError } from '../relay/relay-error';

export interface ChatCallInput {
  baseUrl: string;
  apiKey: string;
  /** The client's JSON body as parsed (only the fields the provider must change are rewritten). */
  body: Record<string, unknown>;
  upstreamModel: string;
  stream: boolean;
  userAgent: string | null;
}

export interface PreparedUpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ChatResponseSummary {
  usage: TokenUsage | null;
  /** Bytes of generated text/tool arguments, for an estimate when usage is missing. */
  completionBytes: number;
  empty: boolean;
}

export interface ChatResponseReading extends ChatResponseSummary {
  /** The reply as an OpenAI chat completion (the upstream's own bytes when it already is one). */
  body: Buffer;
}

export type FrameAction =
  /** Send the frame to the client unchanged. */
  | { kind: 'forward' }
  /** Do not send this frame (e.g. the usage-only chunk the client did not ask for). */
  | { kind: 'drop' }
  /**
   * Send these OpenAI chunk frames instead, one `data: {...}\n\n` frame per buffer (empty = nothing yet). `done` = the
   * upstream's own end-of-stream marker (e.g. Anthropic's message_stop): the relay then ends the stream as it does
   * after `[DONE]`.
   */
  | { kind: 'replace'; frames: Buffer[]; done?: boolean }
  /** The upstream reported an error inside the stream; end the stream with this error. */
  | { kind: 'error'; error: RelayError };

export interface StreamProcessor {
  handleFrame(frame: Buffer): FrameAction;
  readonly usage: TokenUsage | null;
  /** Completion tokens estimated from the deltas forwarded so far. */
  readonly streamedCompletionTokens: number;
  readonly sawContent: boolean;
  /** The prompt side of the usage when the upstream reported it before the end (Anthropic's message_start). */
  readonly promptUsage?: TokenUsage | null;
  /** A choice finished (a non-null finish_reason went by): with [DONE] or an end event, how a complete stream shows. */
  readonly sawFinish?: boolean;
}

export interface UpstreamFailure {
  error: RelayError;
  /** True for failures another channel may not have (5xx, 429, bad channel key): try the next channel. */
  retryable: boolean;
}

/** Protocols a caller and a channel can share, so the caller's own body and the upstream's own bytes pass through. */
export type NativeProtocol = 'anthropic' | 'gemini';

export interface NativeCallInput {
  baseUrl: string;
  apiKey: string;
  /** The caller's own body as parsed (same protocol as the channel's); only `model` is replaced. */
  body: Record<string, unknown>;
  upstreamModel: string;
  stream: boolean;
  userAgent: string | null;
  /** A header the caller sent (e.g. `anthropic-beta`), null when absent. */
  callerHeader(name: string): string | null;
}

/** Walks a native stream without changing it: forward (or drop/replace to hold frames back), error on error events. */
export interface NativeStreamProcessor extends StreamProcessor {
  /** The upstream's own end of stream arrived (Anthropic message_stop, Gemini's finishReason). */
  readonly complete: boolean;
  /** The frame that ends a broken stream in this protocol: the caller's SDK throws on it. */
  errorFrame(error: RelayError): Buffer;
}

/** Same-protocol pass-through: the caller's body goes upstream as is, the reply and frames come back unchanged. */
export interface NativeChatAdapter {
  protocol: NativeProtocol;
  /** Throws a 400 RelayError for a body it cannot send. */
  prepareNative(input: NativeCallInput): PreparedUpstreamCall;
  /** A non-streaming 2xx reply -> usage and size for billing; null when it is not a reply of this protocol. */
  readNativeResponse(raw: Buffer): ChatResponseSummary | null;
  createNativeStreamProcessor(options: { secrets: string[] }): NativeStreamProcessor;
  /**
   * The body's prompt text in the shape governance reads (`messages[].content`, `system`), every slot writing through
   * to `body`: masks then apply to the caller's own body as they do to the converted one.
   */
  textView(body: Record<string, unknown>): Record<string, unknown>;
}

export interface ChatAdapter {
  /** Present when the channel's protocol can serve callers of the same protocol without conversion. */
  native?: NativeChatAdapter;
  prepareChat(input: ChatCallInput): PreparedUpstreamCall;
  /** A non-streaming 2xx reply -> its summary and OpenAI-shaped body; null when it cannot be read. */
  readChatResponse(raw: Buffer): ChatResponseReading | null;
  createStreamProcessor(options: { clientWantsUsage: boolean; secrets: string[] }): StreamProcessor;
  normaliseError(status: number, bodyText: string, secrets: string[]): UpstreamFailure;
}
