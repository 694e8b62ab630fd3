// Upstream error -> our OpenAI-shaped error. Messages are scrubbed (keys, URLs, hosts, addresses) and upstream 5xx
// details are never shown; user-caused 4xx keep a useful, scrubbed message and a 4xx status.
import type { UpstreamFailure } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { readErrorMessage } from './api';

const MAX_MESSAGE_LENGTH = 500;

/** Removes anything secret or internal from an upstream message. `secrets` are exact strings to blank out. */
export function scrubUpstreamMessage(message: string, secrets: string[]): string {
  let scrubbed = message;
  for (const secret of secrets) if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  scrubbed = scrubbed
    .replace(/\b(?:sk|rk|pk|key|sess)-[A-Za-z0-9_*.\-]{4,}/gi, '[redacted]')
    .replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '[address]')
    .replace(/\[?[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d+)?/gi, (match) => (match.includes('::') || match.split(':').length > 3 ? '[address]' : match));
  return scrubbed.length > MAX_MESSAGE_LENGTH ? `${scrubbed.slice(0, MAX_MESSAGE_LENGTH)}…` : scrubbed;
}

function upstreamMessage(bodyText: string): string | null {
  try {
    return readErrorMessage(JSON.parse(bodyText))?.message ?? null;
  } catch {
    return null;
  }
}

export function normaliseOpenAiError(status: number, bodyText: string, secrets: string[]): UpstreamFailure {
  const detail = upstreamMessage(bodyText);
  const scrubbed = detail ? scrubUpstreamMessage(detail, secrets) : null;
  if (status === 429) {
    return { error: new RelayError('rate_limited', 'The upstream provider is rate limiting requests. Please retry shortly.'), retryable: true };
  }
  if (status === 408) return { error: new RelayError('upstream_timeout', 'The upstream provider timed out.'), retryable: true };
  if (status >= 500) {
    return { error: new RelayError('upstream_error', `The upstream provider failed (HTTP ${status}). Please retry.`), retryable: true };
  }
  // The channel's own credentials or account are at fault, not the request: another channel may work.
  if (status === 401 || status === 403 || status === 402) {
    return { error: new RelayError('upstream_error', 'The upstream provider refused the gateway’s credentials for this channel.'), retryable: true };
  }
  if (status >= 300 && status < 400) {
    return { error: new RelayError('upstream_error', 'The upstream provider answered with a redirect, which is not followed.'), retryable: true };
  }
  if (status === 404) return { error: new RelayError('model_not_found', scrubbed ?? 'The upstream provider does not know this model.'), retryable: false };
  if (status === 413) return { error: new RelayError('body_too_large', scrubbed ?? 'The request is too large for the upstream provider.'), retryable: false };
  return { error: new RelayError('invalid_request', scrubbed ?? `The upstream provider rejected the request (HTTP ${status}).`), retryable: false };
}
