// The one error type the request path throws; koa-error turns it into OpenAI's error shape.
import { RELAY_ERRORS, type RelayErrorCode } from '@nebulagate/schema';

export class RelayError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(
    readonly code: RelayErrorCode,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'RelayError';
    this.status = RELAY_ERRORS[code].status;
    this.type = RELAY_ERRORS[code].type;
  }
}

export function assertThat(condition: unknown, code: RelayErrorCode, message: string, param: string | null = null): asserts condition {
  if (!condition) throw new RelayError(code, message, param);
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export function toOpenAiErrorBody(error: RelayError): OpenAiErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
