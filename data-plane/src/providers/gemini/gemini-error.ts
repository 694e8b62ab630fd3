// Errors both ways: an upstream Gemini error -> our RelayError (scrubbed; retry another channel when the channel, not
// the request, is at fault), and a RelayError -> Gemini's error body for callers that speak Gemini.
import { RelayError } from '../../relay/relay-error';
import { scrubUpstreamMessage } from '../openai/errors';
import type { UpstreamFailure } from '../provider-adapter';
import { readGeminiError, type GeminiErrorReading } from './gemini-api';

/** Google API keys (AIza...) of any channel, not only this attempt's, never reach a caller. */
function scrubGeminiMessage(message: string, secrets: string[]): string {
  return scrubUpstreamMessage(message, secrets).replace(/\bAIza[0-9A-Za-z_-]{8,}/g, '[redacted]');
}

/** Gemini answers 400 (not 401) for a bad key, and 400 FAILED_PRECONDITION for an account/region problem. */
function channelAtFault(error: GeminiErrorReading | null): boolean {
  if (!error) return false;
  if (error.reasons.some((reason) => reason.startsWith('API_KEY') || reason === 'CONSUMER_SUSPENDED')) return true;
  if (error.status === 'FAILED_PRECONDITION' || error.status === 'UNAUTHENTICATED' || error.status === 'PERMISSION_DENIED') return true;
  return /api key/i.test(error.message ?? '');
}

function parseError(bodyText: string): GeminiErrorReading | null {
  try {
    return readGeminiError(JSON.parse(bodyText));
  } catch {
    return null;
  }
}

export function normaliseGeminiError(status: number, bodyText: string, secrets: string[]): UpstreamFailure {
  const upstream = parseError(bodyText);
  const scrubbed = upstream?.message ? scrubGeminiMessage(upstream.message, secrets) : null;
  if (status === 429) {
    return { error: new RelayError('rate_limited', 'The upstream provider is rate limiting requests. Please retry shortly.'), retryable: true };
  }
  if (status === 408 || status === 504) return { error: new RelayError('upstream_timeout', 'The upstream provider timed out.'), retryable: true };
  if (status >= 500) return { error: new RelayError('upstream_error', `The upstream provider failed (HTTP ${status}). Please retry.`), retryable: true };
  if (status === 401 || status === 402 || status === 403 || (status === 400 && channelAtFault(upstream))) {
    return { error: new RelayError('upstream_error', 'The upstream provider refused the gateway’s credentials for this channel.'), retryable: true };
  }
  if (status >= 300 && status < 400) {
    return { error: new RelayError('upstream_error', 'The upstream provider answered with a redirect, which is not followed.'), retryable: true };
  }
  if (status === 404) return { error: new RelayError('model_not_found', scrubbed ?? 'The upstream provider does not know this model.'), retryable: false };
  if (status === 413) return { error: new RelayError('body_too_large', scrubbed ?? 'The request is too large for the upstream provider.'), retryable: false };
  return { error: new RelayError('invalid_request', scrubbed ?? `The upstream provider rejected the request (HTTP ${status}).`), retryable: false };
}

/** An error found inside a streamed frame; null when the frame is not an error. */
export function streamFrameError(value: unknown, secrets: string[]): RelayError | null {
  const upstream = readGeminiError(value);
  if (!upstream) return null;
  const scrubbed = upstream.message ? scrubGeminiMessage(upstream.message, secrets) : '';
  return new RelayError('upstream_error', `The upstream provider failed during the stream${scrubbed ? `: ${scrubbed}` : '.'}`);
}

export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'FAILED_PRECONDITION',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function toGeminiErrorBody(error: RelayError): GeminiErrorBody {
  return { error: { code: error.status, message: error.message, status: STATUS_NAMES[error.status] ?? 'UNKNOWN' } };
}
