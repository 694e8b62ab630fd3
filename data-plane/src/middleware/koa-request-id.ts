// Gives every request a fresh id (x-request-id, [A-Za-z0-9_-] only). Client-sent ids are not reused: the id keys the
// reservation and the usage job, so a client must not be able to collide with another request.
import { randomUUID } from 'node:crypto';
import type { RequestIdState, StateMiddleware } from '../context';

export function createRequestId(): string {
  // randomUUID draws from a cached entropy pool (one syscall per 128 ids) where randomBytes(12) cost a syscall per
  // request; 122 random bits are still far beyond guessing or colliding.
  return `req_${randomUUID()}`;
}

export function koaRequestId(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    ctx.state.requestId = createRequestId();
    ctx.state.startedAt = Date.now();
    ctx.set('x-request-id', ctx.state.requestId);
    await next();
  };
}
