// The caller's wire format when it is not OpenAI's: the relay talks OpenAI to the channel, and a client wire turns the
// reply, the stream and the errors into what the caller's SDK parses. Absent = OpenAI, bytes untouched. On a channel of
// the caller's own protocol the relay skips both conversions and sends `originalBody` (native pass-through).
import type { TokenUsage } from '@nebulagate/schema';
import type { NativeProtocol } from '../providers/provider-adapter';
import type { RelayError } from './relay-error';

export interface ClientStreamTranslator {
  /** One forwarded upstream SSE frame -> bytes for the client (null = nothing to send yet). */
  frame(frame: Buffer): Buffer | null;
  /** The upstream stream ended cleanly: closing bytes, with the usage the upstream reported (if any). */
  end(usage: TokenUsage | null): Buffer;
  /** The stream failed after it started: the error frame the client's SDK throws on. */
  error(error: RelayError): Buffer;
}

export interface ClientWire {
  /** The caller's protocol when a channel type speaks it too: such a channel is served natively (no conversion). */
  protocol?: NativeProtocol;
  /** The caller's body as parsed, before its conversion to OpenAI's (set per request by the route's convert step). */
  originalBody?: Record<string, unknown>;
  errorBody(error: RelayError): unknown;
  /** A non-streaming upstream reply -> the client's JSON body; null when the reply cannot be converted. */
  convertJson(raw: Buffer, model: string): Buffer | null;
  createStreamTranslator(options: { model: string; estimatedInputTokens: number }): ClientStreamTranslator;
}
