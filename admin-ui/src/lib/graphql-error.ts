// Turns whatever Apollo throws into one of the contract's error codes, so the UI can show a translated message.
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import { GRAPHQL_ERROR_CODES, type GraphqlErrorCode } from './contract';

export type DisplayErrorCode = GraphqlErrorCode | 'NETWORK' | 'UNKNOWN';

export interface DisplayError {
  code: DisplayErrorCode;
  /** The server's own message, shown under the translated one for input errors (e.g. which field is wrong). */
  detail: string | null;
}

interface ErrorLike {
  message?: unknown;
  extensions?: { code?: unknown } | null;
}

function isGraphqlErrorCode(value: unknown): value is GraphqlErrorCode {
  return typeof value === 'string' && (GRAPHQL_ERROR_CODES as readonly string[]).includes(value);
}

// Details are only shown for codes whose server message helps the user fix their input.
const CODES_WITH_DETAIL: ReadonlySet<DisplayErrorCode> = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);

function fromErrorList(errors: readonly ErrorLike[]): DisplayError | null {
  const first = errors[0];
  if (!first) return null;
  const rawCode = first.extensions?.code;
  const code: DisplayErrorCode = isGraphqlErrorCode(rawCode)
    ? rawCode
    : rawCode === 'GRAPHQL_VALIDATION_FAILED' || rawCode === 'GRAPHQL_PARSE_FAILED'
      ? 'BAD_USER_INPUT'
      : 'UNKNOWN';
  const detail = CODES_WITH_DETAIL.has(code) && typeof first.message === 'string' ? first.message : null;
  return { code, detail };
}

function parseErrorBody(bodyText: string): readonly ErrorLike[] {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'object' && parsed !== null && 'errors' in parsed && Array.isArray(parsed.errors)) {
      return parsed.errors.filter((item: unknown): item is ErrorLike => typeof item === 'object' && item !== null);
    }
  } catch {
    // Not JSON (a proxy error page, for instance): treated as a network problem below.
  }
  return [];
}

export function toDisplayError(error: unknown): DisplayError {
  if (CombinedGraphQLErrors.is(error)) {
    return fromErrorList(error.errors) ?? { code: 'UNKNOWN', detail: null };
  }
  if (ServerError.is(error)) {
    // Apollo Server answers some failures (bad variables, CSRF) with a 4xx that still carries GraphQL errors.
    return fromErrorList(parseErrorBody(error.bodyText)) ?? { code: 'NETWORK', detail: null };
  }
  if (ServerParseError.is(error) || (error instanceof TypeError && /fetch/i.test(error.message))) {
    return { code: 'NETWORK', detail: null };
  }
  return { code: 'UNKNOWN', detail: null };
}

export function isUnauthenticated(error: unknown): boolean {
  return error !== undefined && error !== null && toDisplayError(error).code === 'UNAUTHENTICATED';
}
