// Sorts an upstream error answer into what it means for routing, from the status and the structured codes of the
// error body only (never from message text: "balance" in a user's prompt echo must not disable a channel).
import { z } from 'zod';

export type UpstreamFailureKind =
  /** The channel key is invalid or lacks permission: disable that key (never the channel). */
  | 'key_invalid'
  /** The channel key's account has no credit: disable that key. */
  | 'key_no_credit'
  /** The key is being rate limited: counts against the key's breaker only. */
  | 'key_rate_limited'
  /** The caller's own request was refused (400/404/413/422...): never counts, never retried. */
  | 'user_error'
  /** The upstream failed (5xx, odd status): counts against the channel's and the key's breakers. */
  | 'upstream_failure';

export interface UpstreamFailureClass {
  kind: UpstreamFailureKind;
  /** Move on to another channel (before the first byte reached the client). */
  retryable: boolean;
}

const errorBodySchema = z.object({
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  error: z
    .union([
      z.string(),
      z.object({
        type: z.string().nullish(),
        code: z.union([z.string(), z.number()]).nullish(),
        status: z.string().nullish(),
        /** Google's google.rpc.ErrorInfo entries: `reason` is the structured cause (e.g. API_KEY_INVALID). */
        details: z.array(z.object({ reason: z.string().nullish() }).passthrough()).nullish(),
      }),
    ])
    .nullish(),
});

const NO_CREDIT_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active', 'payment_required', 'insufficient_balance']);
const USER_ERROR_CODES = new Set(['invalid_request_error', 'invalid_request', 'invalid_argument', 'content_filter', 'content_policy_violation', 'context_length_exceeded']);

/** The structured codes (OpenAI error.code/type, Anthropic error.type, Gemini error.status) of an error body, lower-cased. */
export function upstreamErrorCodes(bodyText: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return [];
  }
  const body = errorBodySchema.safeParse(parsed);
  if (!body.success) return [];
  const codes: Array<string | number | null | undefined> = [body.data.type, body.data.code];
  const inner = body.data.error;
  if (inner && typeof inner === 'object') codes.push(inner.type, inner.code, inner.status, ...(inner.details ?? []).map((detail) => detail.reason));
  return codes.filter((code): code is string | number => code !== null && code !== undefined && code !== '').map((code) => String(code).toLowerCase());
}

export function classifyUpstreamFailure(status: number, bodyText: string, retryOnStatus: readonly number[]): UpstreamFailureClass {
  const codes = upstreamErrorCodes(bodyText);
  if (status === 402 || codes.some((code) => NO_CREDIT_CODES.has(code))) return { kind: 'key_no_credit', retryable: true };
  if (status === 401) return { kind: 'key_invalid', retryable: true };
  // Gemini answers a bad or expired key with 400 INVALID_ARGUMENT and the reason API_KEY_INVALID / API_KEY_EXPIRED.
  if (codes.some((code) => code.startsWith('api_key_'))) return { kind: 'key_invalid', retryable: true };
  if (status === 403) {
    if (codes.some((code) => USER_ERROR_CODES.has(code))) return { kind: 'user_error', retryable: false };
    return { kind: 'key_invalid', retryable: true };
  }
  if (status === 429) return { kind: 'key_rate_limited', retryable: retryOnStatus.includes(429) };
  if (status >= 400 && status < 500 && !retryOnStatus.includes(status)) return { kind: 'user_error', retryable: false };
  if (status >= 500 || status < 400) {
    // 3xx (redirects are not followed) and odd statuses are the channel's problem too.
    return { kind: 'upstream_failure', retryable: status < 400 || retryOnStatus.includes(status) };
  }
  return { kind: 'upstream_failure', retryable: true };
}

/** new-api's status_code_mapping: the status the upstream answer is treated as. */
export function mapUpstreamStatus(status: number, mapping: Readonly<Record<string, number>>): number {
  return mapping[String(status)] ?? status;
}
