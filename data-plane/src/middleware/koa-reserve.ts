// Reserves the worst-case cost before any upstream call, and guarantees the reservation is closed: if anything below
// throws before the relay settled, the reservation is voided (cost 0) and the usage event records the error. While
// the request runs (a long stream), the wallet's keep-alive pushes the reservation's expiry ahead.
import { computeCost, type SnapshotPrice } from '@nebulagate/schema';
import { Settlement } from '../billing/settlement';
import type {
  AuthState,
  BodyState,
  ChatState,
  DataPlaneServices,
  GovernanceState,
  RequestIdState,
  ReserveState,
  SnapshotState,
  StateMiddleware,
} from '../context';
import { describeError, logger } from '../observability/logger';
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

/** What a route's reservation is for: the priced model and the worst case to hold. */
export interface ReservationTerms {
  model: string;
  stream: boolean;
  price: SnapshotPrice | null;
  multiplier: number;
  /** Credits to reserve (the worst case). */
  amount: number;
}

type ReserveBaseState = RequestIdState & SnapshotState & AuthState & GovernanceState & ReserveState;

/** The reserve step of any route; `termsOf` reads the route's own state (chat, endpoint...). */
export function koaReserveWith<StateT extends ReserveBaseState>(
  services: Pick<DataPlaneServices, 'wallet' | 'usage' | 'inFlight' | 'billing'>,
  termsOf: (state: StateT) => ReservationTerms,
): StateMiddleware<StateT> {
  // Billing off (measurement only): no reservation, and a settlement without a ledger, so the relay code path is the
  // same but no money moves and no usage event is written.
  const ledger = services.billing ? { wallet: services.wallet, emitter: services.usage } : null;
  return async (ctx, next) => {
    const { requestId, startedAt, auth, snapshot } = ctx.state;
    const terms = termsOf(ctx.state);
    const amount = ledger ? terms.amount : 0;
    // One script: plan allowance first (when the model and group are in the plan), then the wallet, and the key's quota.
    if (ledger) {
      await ledger.wallet.reserve({
        requestId,
        userId: auth.user.id,
        tokenId: auth.token.id,
        amount,
        model: terms.model,
        group: auth.group,
        quotaLimited: auth.token.quotaLimited,
      });
    }
    const settlement = new Settlement(
      {
        requestId,
        userId: auth.user.id,
        tokenId: auth.token.id,
        model: terms.model,
        endpoint: ctx.path,
        stream: terms.stream,
        reserved: amount,
        price: terms.price,
        multiplier: terms.multiplier,
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

export function koaReserve(
  services: Pick<DataPlaneServices, 'wallet' | 'usage' | 'inFlight' | 'billing'>,
): StateMiddleware<RequestIdState & SnapshotState & AuthState & BodyState & GovernanceState & ChatState & ReserveState> {
  return koaReserveWith(services, (state: RequestIdState & SnapshotState & AuthState & BodyState & GovernanceState & ChatState & ReserveState) => ({
    model: state.chat.model,
    stream: state.chat.stream,
    price: state.chat.price,
    multiplier: state.chat.multiplier,
    amount: worstCaseCost(state),
  }));
}
