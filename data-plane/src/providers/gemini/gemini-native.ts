// Native pass-through for Gemini callers on gemini-type channels: the caller's generateContent body goes upstream as is
// (the mapped model goes in the path) and the reply and its SSE frames come back byte for byte (thought signatures,
// grounding, safety ratings and anything newer survive). usageMetadata is still read for exact billing.
import type { TokenUsage } from '@nebulagate/schema';
import type { RelayError } from '../../relay/relay-error';
import { sseDataText } from '../../relay/sse';
import { estimateTokensFromBytes } from '../../relay/usage-meter';
import type { ChatResponseSummary, FrameAction, NativeCallInput, NativeChatAdapter, NativeStreamProcessor, PreparedUpstreamCall } from '../provider-adapter';
import { convertGeminiUsage } from './convert-gemini-usage';
import { isJsonObject, readGeminiResponse, type GeminiPartReading } from './gemini-api';
import { generateContentUrl } from './gemini-chat';
import { streamFrameError, toGeminiErrorBody } from './gemini-error';

export function prepareGeminiNative(input: NativeCallInput): PreparedUpstreamCall {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: input.stream ? 'text/event-stream' : 'application/json',
    'accept-encoding': 'identity',
    'x-goog-api-key': input.apiKey,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  // The model is the path's; a `model` in the body (GenerateContentRequest has one) must not name another.
  const body = 'model' in input.body ? { ...input.body, model: `models/${input.upstreamModel.replace(/^models\//, '')}` } : input.body;
  return { url: generateContentUrl(input.baseUrl, input.upstreamModel, input.stream), headers, body: JSON.stringify(body) };
}

/** Bytes a part generated (text, thoughts, function-call arguments), for an estimate when usage is missing. */
export function generatedBytesOfPart(part: GeminiPartReading): number {
  if (part.kind === 'text') return Buffer.byteLength(part.text);
  if (part.kind === 'functionCall') return Buffer.byteLength(part.call.name) + Buffer.byteLength(JSON.stringify(part.call.args));
  return 0;
}

export function readGeminiNativeResponse(raw: Buffer): ChatResponseSummary | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const reading = readGeminiResponse(json);
  if (!reading) return null;
  const completionBytes = (reading.candidate?.parts ?? []).reduce((total, part) => total + generatedBytesOfPart(part), 0);
  const usage = reading.usage ? convertGeminiUsage(reading.usage) : null;
  const empty = usage ? usage.completionTokens === 0 && completionBytes === 0 : completionBytes === 0;
  return { usage, completionBytes, empty };
}

/** Forwards every frame as received; reads usageMetadata (cumulative: the latest wins) and error frames. */
export class GeminiNativeStream implements NativeStreamProcessor {
  usage: TokenUsage | null = null;
  streamedCompletionTokens = 0;
  sawContent = false;
  complete = false;

  constructor(private readonly secrets: string[]) {}

  handleFrame(frame: Buffer): FrameAction {
    const data = sseDataText(frame);
    if (data === null || data.trim() === '') return { kind: 'forward' };
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return { kind: 'forward' };
    }
    const error = streamFrameError(json, this.secrets);
    if (error) return { kind: 'error', error };
    const reading = readGeminiResponse(json);
    if (!reading) return { kind: 'forward' };
    if (reading.usage) this.usage = convertGeminiUsage(reading.usage);
    for (const part of reading.candidate?.parts ?? []) {
      const bytes = generatedBytesOfPart(part);
      if (bytes === 0) continue;
      this.sawContent = true;
      this.streamedCompletionTokens += Math.max(1, estimateTokensFromBytes(bytes));
    }
    if (reading.candidate?.finishReason || reading.blockReason) this.complete = true;
    return { kind: 'forward' };
  }

  errorFrame(error: RelayError): Buffer {
    return Buffer.from(`data: ${JSON.stringify(toGeminiErrorBody(error))}\n\n`);
  }
}

/** Each content's parts as a message's content parts (text parts are governance's slots); the body's own objects. */
export function geminiTextView(body: Record<string, unknown>): Record<string, unknown> {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const messages = contents.map((content: unknown) => ({ content: isJsonObject(content) ? content.parts : undefined }));
  const instruction = body.systemInstruction;
  return { messages, system: isJsonObject(instruction) ? instruction.parts : undefined };
}

export const geminiNativeAdapter: NativeChatAdapter = {
  textView: geminiTextView,
  protocol: 'gemini',
  prepareNative: prepareGeminiNative,
  readNativeResponse: readGeminiNativeResponse,
  createNativeStreamProcessor: (options) => new GeminiNativeStream(options.secrets),
};
