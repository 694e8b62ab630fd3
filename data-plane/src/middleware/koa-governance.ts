// Runs the snapshot's governance rules on the request body (already in OpenAI's shape) before any routing or money:
// block -> content_blocked 400 in the caller's shape, mask -> text rewritten before it goes upstream, reroute -> the
// model is replaced (so routes and price follow it), tag -> carried on the usage event. A blocked request still emits a
// zero-cost usage event so the worker writes its audit record.
import type { AuthState, BodyState, DataPlaneServices, GovernanceState, RequestIdState, SnapshotState, StateMiddleware } from '../context';
import { evaluateGovernance } from '../governance/governance-engine';
import { describeError, logger } from '../observability/logger';
import { RelayError } from '../relay/relay-error';

const DEFAULT_BLOCK_MESSAGE = 'This request was blocked by a content policy of this gateway.';

export function koaGovernance(
  services: Pick<DataPlaneServices, 'usage' | 'billing'>,
): StateMiddleware<RequestIdState & SnapshotState & AuthState & BodyState & GovernanceState> {
  return async (ctx, next) => {
    const { snapshot, body, auth, requestId, startedAt } = ctx.state;
    if (snapshot.governanceRules.length === 0) return next();
    const model = typeof body.json.model === 'string' ? body.json.model : '';
    const verdict = evaluateGovernance(snapshot.governanceRules, { body: body.json, model, path: ctx.path, group: auth.group, tokenId: auth.token.id });
    if (verdict.hits.length === 0) return next();

    if (verdict.blockedBy) {
      if (services.billing) {
        const event = {
          requestId, userId: auth.user.id, tokenId: auth.token.id, channelId: null, model, upstreamModel: null, endpoint: ctx.path,
          stream: body.json.stream === true, status: 'error' as const, httpStatus: 400, promptTokens: 0, completionTokens: 0,
          cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false, cost: 0, reserved: 0, snapshotVersion: snapshot.version, startedAt,
          durationMs: Math.max(0, Date.now() - startedAt), firstByteMs: null, clientIp: auth.clientIp, errorCode: 'content_blocked',
          attempts: [], costBreakdown: null, planCost: 0, governanceHits: verdict.hits, tags: verdict.tags,
        };
        // The audit trail must not depend on the caller waiting: the emitter spools when Redis is down.
        await services.usage.emit(event).catch((error: unknown) => logger.error('governance audit event lost', { requestId, error: describeError(error) }));
      }
      throw new RelayError('content_blocked', verdict.blockedBy.blockMessage ?? DEFAULT_BLOCK_MESSAGE);
    }
    if (verdict.rerouteModel) body.json.model = verdict.rerouteModel;
    ctx.state.governance = { hits: verdict.hits, tags: verdict.tags };
    return next();
  };
}
