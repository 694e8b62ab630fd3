// Reserves the worst-case cost before any upstream call, and guarantees the reservation is closed: if anything below
// throws before the relay settled, the reservation is voided (cost 0) and the usage event records the error.
import { computeCost } from '@nebulagate/schema';
import { Settlement } from '../billing/settlement';
import type { AuthState, BodyState, ChatState, DataPlaneServices, GovernanceState, RequestIdState, ReserveState, SnapshotState, StateMiddleware } from '../context';
import { ClientAbortedError } from '../relay/attempt-loop';
import { RelayError } from '../relay/relay-error';
import { worstCasePromptTokens } from '../relay/usage-meter';

export function worstCaseCost(state: BodyState & ChatState & SnapshotState): number {
  const { chat, body, snapshot } = state;
  if (!chat.price) return 0;
  const maxOutput =
    chat.request.max_completion_tokens ??
    chat.request.max_tokens ??
    chat.price.defaultMaxOutputTokens ??
    snapshot.settings.defaultMaxOutputTokens;
  const usage = { promptTokens: worstCasePromptTokens(body.bytes), completionTokens: maxOutput, cacheReadTokens: 0, cacheWriteTokens: 0 };
  return computeCost(usage, chat.price, chat.multiplier).total;
}

export function koaReserve(
  services: Pick<DataPlaneServices, 'wallet' | 'usage' | 'inFlight' | 'billing'>,
): StateMiddleware<RequestIdState & SnapshotState & AuthState & BodyState & GovernanceState & ChatState & ReserveState> {
  // Billing off (measurement only): no reservation, and a settlement without a ledger, so the relay code path is the
  // same but no money moves and no usage event is written.
  const ledger = services.billing ? { wallet: services.wallet, emitter: services.usage } : null;
  return async (ctx, next) => {
    const { requestId, startedAt, auth, chat, snapshot } = ctx.state;
    const amount = ledger ? worstCaseCost(ctx.state) : 0;
    // One script: plan allowance first (when the model and group are in the plan), then the wallet, and the key's quota.
    if (ledger) {
      await ledger.wallet.reserve({
        requestId,
        userId: auth.user.id,
        tokenId: auth.token.id,
        amount,
        model: chat.model,
        group: auth.group,
        quotaLimited: auth.token.quotaLimited,
      });
    }
    const settlement = new Settlement(
      {
        requestId,
        userId: auth.user.id,
        tokenId: auth.token.id,
        model: chat.model,
        endpoint: ctx.path,
        stream: chat.stream,
        reserved: amount,
        price: chat.price,
        multiplier: chat.multiplier,
        snapshotVersion: snapshot.version,
        startedAt,
        clientIp: auth.clientIp,
      },
      ledger,
    );
    ctx.state.settlement = settlement;
    if (ctx.state.governance) {
      settlement.governanceHits.push(...ctx.state.governance.hits);
      settlement.tags.push(...ctx.state.governance.tags);
    }
    try {
      await next();
    } catch (error) {
      if (!settlement.finished) {
        const relayError = error instanceof RelayError ? error : null;
        const aborted = error instanceof ClientAbortedError;
        const closing = settlement.finish({
          status: aborted ? 'client_aborted' : 'error',
          httpStatus: aborted ? 499 : (relayError?.status ?? 500),
          usage: null,
          estimated: false,
          void: true,
          errorCode: aborted ? 'client_aborted' : (relayError?.code ?? 'internal_error'),
        });
        services.inFlight.add(closing);
        await closing.finally(() => services.inFlight.delete(closing));
      }
      throw error;
    }
  };
}
