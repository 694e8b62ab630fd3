// Builds the upstream generateContent call (key in x-goog-api-key, never in the URL) and reads a non-streaming reply.
import type { ChatCallInput, ChatResponseReading, PreparedUpstreamCall } from '../provider-adapter';
import { convertGeminiResponseToOpenAi } from './convert-gemini-response-to-openai';
import { convertGeminiUsage } from './convert-gemini-usage';
import { convertOpenAiRequestToGemini } from './convert-openai-request-to-gemini';
import { readGeminiResponse } from './gemini-api';

/** Channel base URLs are the origin (e.g. https://generativelanguage.googleapis.com); the version is ours to add. */
export function generateContentUrl(baseUrl: string, upstreamModel: string, stream: boolean): string {
  const model = encodeURIComponent(upstreamModel.replace(/^models\//, ''));
  const base = baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '');
  return stream ? `${base}/v1beta/models/${model}:streamGenerateContent?alt=sse` : `${base}/v1beta/models/${model}:generateContent`;
}

export function prepareGeminiChat(input: ChatCallInput): PreparedUpstreamCall {
  const body = convertOpenAiRequestToGemini(input.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: input.stream ? 'text/event-stream' : 'application/json',
    'accept-encoding': 'identity',
    'x-goog-api-key': input.apiKey,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  return { url: generateContentUrl(input.baseUrl, input.upstreamModel, input.stream), headers, body: JSON.stringify(body) };
}

export function readGeminiChatResponse(raw: Buffer): ChatResponseReading | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const reading = readGeminiResponse(json);
  if (!reading) return null;
  const { completion, completionBytes } = convertGeminiResponseToOpenAi(reading);
  const usage = reading.usage ? convertGeminiUsage(reading.usage) : null;
  const empty = usage ? usage.completionTokens === 0 && completionBytes === 0 : completionBytes === 0;
  return { usage, completionBytes, empty, body: Buffer.from(JSON.stringify(completion)) };
}
