// Typed GraphQL errors (extensions.code) and the formatter that masks everything unexpected.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { GraphqlErrorCode } from '@nebulagate/schema';

export function appError(code: Exclude<GraphqlErrorCode, 'INTERNAL_SERVER_ERROR'>, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** One-line guard: `assertThat(user, 'NOT_FOUND', 'user not found')`. */
export function assertThat(condition: unknown, code: Exclude<GraphqlErrorCode, 'INTERNAL_SERVER_ERROR'>, message: string): asserts condition {
  if (!condition) throw appError(code, message);
}

const PASS_THROUGH_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type ErrorLogger = (error: unknown) => void;

/** Keeps our typed errors and GraphQL's own request errors; anything else becomes a generic message (no stack, no secret). */
export function createErrorFormatter(logError: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : null;
    const original = unwrapResolverError(error);
    if (code !== null && PASS_THROUGH_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Argument/variable coercion failures from graphql-js (e.g. SafeInt out of range) are the caller's fault.
    if (original instanceof GraphQLError && original.originalError === undefined && formatted.path === undefined) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logError(original);
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
