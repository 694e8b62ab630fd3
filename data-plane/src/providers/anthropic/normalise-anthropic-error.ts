// Anthropic upstream error -> our RelayError. Anthropic's error body ({"type":"error","error":{type,message}}) carries
// its message where the OpenAI reader looks for it, so the shared status policy applies; 529 (overloaded) gets its
// own message. Retryable: 429, 5xx/529 and a refused channel key; a user-caused 400 is not.
import type { UpstreamFailure } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { normaliseOpenAiError } from '../openai/errors';
import { readAnthropicErrorMessage } from './anthropic-api';

const OVERLOADED_STATUS = 529;

function upstreamErrorType(bodyText: string): string | null {
  try {
    return readAnthropicErrorMessage(JSON.parse(bodyText))?.type ?? null;
  } catch {
    return null;
  }
}

export function normaliseAnthropicError(status: number, bodyText: string, secrets: string[]): UpstreamFailure {
  if (status === OVERLOADED_STATUS || (status >= 500 && upstreamErrorType(bodyText) === 'overloaded_error')) {
    return { error: new RelayError('upstream_error', 'The upstream provider is overloaded. Please retry shortly.'), retryable: true };
  }
  return normaliseOpenAiError(status, bodyText, secrets);
}
