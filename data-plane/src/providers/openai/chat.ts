// Builds the upstream chat call and summarises a non-streaming reply.
import type { ChatCallInput, ChatResponseReading, PreparedUpstreamCall } from '../provider-adapter';
import { readChatResponse } from './api';
import { convertOpenAiUsage } from './usage';

export function chatCompletionsUrl(baseUrl: string): string {
  // Channel base URLs include the version segment (e.g. https://api.openai.com/v1), as the seeded snapshots do.
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

export function prepareOpenAiChat(input: ChatCallInput): PreparedUpstreamCall {
  const body: Record<string, unknown> = { ...input.body, model: input.upstreamModel };
  if (input.stream) {
    // Always ask for the usage chunk so streams are billed from real counts; stripped later if the client did not ask.
    const clientOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    body.stream_options = { ...clientOptions, include_usage: true };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: input.stream ? 'text/event-stream' : 'application/json',
    'accept-encoding': 'identity',
    authorization: `Bearer ${input.apiKey}`,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  return { url: chatCompletionsUrl(input.baseUrl), headers, body: JSON.stringify(body) };
}

/** The reply is already OpenAI's: its bytes go back unchanged. */
export function readOpenAiChatResponse(raw: Buffer): ChatResponseReading | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const reading = readChatResponse(json);
  if (!reading) return null;
  const completionBytes = reading.completionBytes;
  const usage = reading.usage ? convertOpenAiUsage(reading.usage) : null;
  const empty = usage ? usage.completionTokens === 0 && completionBytes === 0 : completionBytes === 0;
  return { usage, completionBytes, empty, body: raw };
}
