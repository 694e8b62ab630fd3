// Per token, per user (record or group default) and per IP caps, checked with one atomic Redis script before any money
// moves (it sits before koa-reserve). A hit is a 429 with Retry-After in the caller's API shape. The concurrency slot
// is released when the request ends however it ends (finally: success, error, client disconnect); a lease guards
// against crashed nodes. The relay reports actual tokens in ctx.state.limitUsage so the TPM count is corrected.
import type { AuthState, BodyState, DataPlaneServices, LimitsState, RequestIdState, SnapshotState, StateMiddleware } from '../context';
import { requestLimitScopes } from '../limits/limit-scopes';
import { describeError, logger } from '../observability/logger';
import { RelayError } from '../relay/relay-error';
import { estimateTokensFromBytes } from '../relay/usage-meter';

const KIND_NAMES = { rpm: 'requests per minute', tpm: 'tokens per minute', concurrency: 'concurrent requests' } as const;
const SCOPE_NAMES: Record<string, string> = { token: 'API key', user: 'account', ip: 'IP address' };

export function koaLimits(
  services: Pick<DataPlaneServices, 'limiter'>,
): StateMiddleware<RequestIdState & SnapshotState & AuthState & BodyState & LimitsState> {
  return async (ctx, next) => {
    const { snapshot, auth, body, requestId } = ctx.state;
    const scopes = requestLimitScopes(snapshot, auth.token, auth.user, auth.clientIp);
    if (scopes.length === 0) {
      await next();
      return;
    }
    const estimatedTokens = estimateTokensFromBytes(body.bytes);
    const admission = await services.limiter.admit(scopes, requestId, estimatedTokens);
    if (!admission.admitted) {
      const { refusal } = admission;
      ctx.set('Retry-After', String(refusal.retryAfterSeconds));
      const scopeName = SCOPE_NAMES[refusal.scope.split(':')[0] ?? ''] ?? 'caller';
      throw new RelayError('rate_limited', `Rate limit reached for this ${scopeName}: too many ${KIND_NAMES[refusal.kind]}. Retry after ${refusal.retryAfterSeconds} s.`);
    }
    const usage = { estimatedTokens, actualTokens: null as number | null };
    ctx.state.limitUsage = usage;
    try {
      await next();
    } finally {
      // Not awaited: the answer must not wait for the release round trip.
      admission.ticket.release(usage.actualTokens).catch((error: unknown) => {
        logger.warn('rate limit release failed', { requestId, error: describeError(error) });
      });
    }
  };
}
