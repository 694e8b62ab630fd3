// Builds the upstream Messages call for an Anthropic-type channel and reads its non-streaming reply as OpenAI's.
import type { ChatCallInput, ChatResponseReading, PreparedUpstreamCall } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { readAnthropicMessage } from './anthropic-api';
import { convertAnthropicResponseToOpenAi } from './convert-anthropic-response-to-openai';
import { convertOpenAiRequestToAnthropic } from './convert-openai-request-to-anthropic';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic channel base URLs are origins (https://api.anthropic.com); a trailing /v1 is tolerated. */
export function anthropicUrl(baseUrl: string, path: '/v1/messages' | '/v1/messages/count_tokens'): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}${path}`;
}

export function anthropicHeaders(apiKey: string, stream: boolean, userAgent: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'accept-encoding': 'identity',
    'x-api-key': apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (userAgent) headers['user-agent'] = userAgent;
  return headers;
}

/** Throws a 400 RelayError for a parameter Anthropic cannot take: the relay then voids the reservation. */
export function prepareAnthropicChat(input: ChatCallInput): PreparedUpstreamCall {
  const conversion = convertOpenAiRequestToAnthropic(input.body, input.upstreamModel);
  if (!conversion.ok) throw new RelayError('invalid_request', conversion.problem.message, conversion.problem.param);
  return { url: anthropicUrl(input.baseUrl, '/v1/messages'), headers: anthropicHeaders(input.apiKey, input.stream, input.userAgent), body: JSON.stringify(conversion.body) };
}

export function readAnthropicChatResponse(raw: Buffer): ChatResponseReading | null {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const message = readAnthropicMessage(json);
  if (!message) return null;
  const { completion, usage, completionBytes } = convertAnthropicResponseToOpenAi(message, 'unknown');
  const empty = usage ? usage.completionTokens === 0 && completionBytes === 0 : completionBytes === 0;
  return { usage, completionBytes, empty, body: Buffer.from(JSON.stringify(completion)) };
}
