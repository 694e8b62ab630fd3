// The caller's wire format when it is not OpenAI's: the relay talks OpenAI to the channel, and a client wire turns the
// reply, the stream and the errors into what the caller's SDK parses. Absent = OpenAI, bytes untouched. On a channel of
// the caller's own protocol the relay skips both conversions and sends `originalBody` (native pass-through).
import type { TokenUsage } from '@nebulagate/schema';
import type { NativeProtocol } from '../providers/provider-adapter';
import type { RelayError } from './relay-error';
import { sseDataText } from './sse';

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
  /** Why the original cannot be converted (the relay then holds a reduced conversion): converted attempts refuse. */
  conversionProblem?: ConversionProblem | null;
  errorBody(error: RelayError): unknown;
  /** A non-streaming upstream reply -> the client's JSON body; null when the reply cannot be converted. */
  convertJson(raw: Buffer, model: string): Buffer | null;
  createStreamTranslator(options: { model: string; estimatedInputTokens: number }): ClientStreamTranslator;
}

export interface ConversionProblem {
  message: string;
  param: string;
}

export type RequestConversion = { ok: true; body: Record<string, unknown> } | { ok: false; problem: ConversionProblem };

/** A caller's request converted to OpenAI's, and the strict conversion's problem when parts of it had to be left out. */
export interface LenientConversion {
  body: Record<string, unknown>;
  /** Set when the request holds what only the caller's protocol carries: a converted attempt must refuse it. */
  problem: ConversionProblem | null;
}

const MAX_REMOVALS = 64;

/**
 * Removes what a problem's parameter path (`messages.1.content.0.type`, `top_k`, `generationConfig.seed`) names: the
 * innermost array element on the path, else the named field itself. False when the path names nothing.
 */
export function removeProblemPath(body: Record<string, unknown>, param: string): boolean {
  const segments = param.split('.').filter((segment) => segment.length > 0);
  let arrayDepth = -1;
  let holder: unknown = body;
  const holders: unknown[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    holders.push(holder);
    const segment = segments[index] as string;
    if (Array.isArray(holder) && /^\d+$/.test(segment)) arrayDepth = index;
    if (typeof holder !== 'object' || holder === null) return false;
    holder = (holder as Record<string, unknown>)[segment];
  }
  const depth = arrayDepth >= 0 ? arrayDepth : segments.length - 1;
  const parent = holders[depth];
  const key = segments[depth];
  if (key === undefined || typeof parent !== 'object' || parent === null) return false;
  if (Array.isArray(parent)) {
    const position = Number(key);
    if (position >= parent.length) return false;
    parent.splice(position, 1);
    return true;
  }
  if (!(key in parent)) return false;
  delete (parent as Record<string, unknown>)[key];
  return true;
}

/**
 * The strict conversion when it succeeds; otherwise the conversion of a copy with every refused part removed (so a
 * same-protocol channel can still serve the whole request natively) plus the first problem. Null when even the
 * reduced request does not convert (the caller gets the strict problem).
 */
export function convertLeniently(original: Record<string, unknown>, convert: (request: Record<string, unknown>) => RequestConversion): LenientConversion | null {
  const strict = convert(structuredClone(original));
  if (strict.ok) return { body: strict.body, problem: null };
  const reduced = structuredClone(original);
  let problem = strict.problem;
  for (let removals = 0; removals < MAX_REMOVALS; removals += 1) {
    if (!removeProblemPath(reduced, problem.param)) return null;
    const attempt = convert(reduced);
    if (attempt.ok) return { body: attempt.body, problem: strict.problem };
    problem = attempt.problem;
  }
  return null;
}

/**
 * The translators' common first step: one OpenAI chunk frame parsed and handed to `translate` (text out, '' for
 * nothing yet); `[DONE]`, comments and unparsable frames give null.
 */
export function translateOpenAiChunkFrame(frame: Buffer, translate: (chunk: unknown) => string): Buffer | null {
  const data = sseDataText(frame);
  if (data === null || data === '[DONE]') return null;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return null;
  }
  const out = translate(chunk);
  return out ? Buffer.from(out) : null;
}
