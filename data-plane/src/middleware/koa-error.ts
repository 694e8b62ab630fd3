// The one error boundary: RelayError -> its status and OpenAI's error shape; anything else -> generic 500 (logged
// without secrets). Koa's own client errors (e.g. 405) keep their status with a generic message.
import type { RequestIdState, StateMiddleware } from '../context';
import { describeError, logger } from '../observability/logger';
import { RelayError, toOpenAiErrorBody } from '../relay/relay-error';

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('status' in error)) return null;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function koaError(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined && ctx.respond !== false && ctx.status >= 400) {
        if (ctx.status === 404) throw new RelayError('not_found', `Unknown endpoint ${ctx.method} ${ctx.path}.`);
        // e.g. 405 from allowedMethods(): keep the status, give the body OpenAI's shape.
        ctx.body = toOpenAiErrorBody(new RelayError('invalid_request', `${ctx.method} is not supported on ${ctx.path}.`));
      }
    } catch (error) {
      if (ctx.headerSent || ctx.respond === false) {
        logger.error('error after the response started', { requestId: ctx.state.requestId, error: describeError(error) });
        return;
      }
      let relayError: RelayError;
      if (error instanceof RelayError) {
        relayError = error;
      } else if (statusOf(error) !== null) {
        relayError = new RelayError('invalid_request', 'The request could not be processed.');
        ctx.status = statusOf(error) as number;
        ctx.body = ctx.state.clientWire ? ctx.state.clientWire.errorBody(relayError) : toOpenAiErrorBody(relayError);
        return;
      } else {
        logger.error('unhandled error', { requestId: ctx.state.requestId, error: describeError(error) });
        relayError = new RelayError('internal_error', 'An internal error occurred. Please retry; contact the administrator if it persists.');
      }
      ctx.status = relayError.status;
      ctx.body = ctx.state.clientWire ? ctx.state.clientWire.errorBody(relayError) : toOpenAiErrorBody(relayError);
      // Quota and input errors must not be retried by SDKs.
      if (relayError.status < 500 && relayError.status !== 429) ctx.set('x-should-retry', 'false');
    }
  };
}
