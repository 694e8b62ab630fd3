// RelayError -> Anthropic's error shape and a status the Anthropic SDK treats correctly (quota errors stay 4xx).
import type { RelayError } from '../../relay/relay-error';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

export function anthropicErrorType(error: RelayError): AnthropicErrorType {
  switch (error.code) {
    case 'invalid_api_key':
    case 'token_expired':
      return 'authentication_error';
    case 'permission_denied':
    case 'model_not_allowed':
      return 'permission_error';
    case 'model_not_found':
    case 'not_found':
      return 'not_found_error';
    case 'rate_limited':
      return 'rate_limit_error';
    case 'no_available_channel':
    case 'service_unavailable':
      return 'overloaded_error';
    case 'upstream_error':
    case 'upstream_timeout':
    case 'internal_error':
      return 'api_error';
    default:
      // invalid_json, invalid_request, body_too_large, unsupported_media_type, insufficient_quota
      return 'invalid_request_error';
  }
}

export function toAnthropicErrorBody(error: RelayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}
