// Error codes the data plane returns (in the caller's API shape) and the HTTP status each maps to.
// 4xx for everything the caller can fix or that must not be retried by SDKs (quota!), 5xx only for upstream trouble.
export const RELAY_ERRORS = {
  invalid_api_key: { status: 401, type: 'authentication_error' },
  token_expired: { status: 401, type: 'authentication_error' },
  permission_denied: { status: 403, type: 'permission_error' },
  model_not_allowed: { status: 403, type: 'permission_error' },
  /** A governance rule refused the request's content. */
  content_blocked: { status: 400, type: 'invalid_request_error' },
  invalid_json: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'not_found_error' },
  body_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  insufficient_quota: { status: 402, type: 'insufficient_quota' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  no_available_channel: { status: 503, type: 'api_error' },
  upstream_error: { status: 502, type: 'api_error' },
  upstream_timeout: { status: 504, type: 'api_error' },
  service_unavailable: { status: 503, type: 'api_error' },
  internal_error: { status: 500, type: 'api_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type RelayErrorCode = keyof typeof RELAY_ERRORS;

// GraphQL `extensions.code` values used by the control plane.
export const GRAPHQL_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
] as const;
export type GraphqlErrorCode = (typeof GRAPHQL_ERROR_CODES)[number];
