// One request's money, closed exactly once: settle the reservation with the actual cost (0 = void) and emit the one
// usage event. Whatever path ends the request (success, upstream failure, client abort, shutdown) calls finish().
import { computeCost, type SnapshotPrice, type TokenUsage, type UsageEvent } from '@nebulagate/schema';
import { describeError, logger } from '../observability/logger';
import type { UsageEmitter } from './usage-emitter';
import type { WalletService } from './wallet.service';

export interface SettlementContext {
  requestId: string;
  userId: string;
  tokenId: string;
  model: string;
  endpoint: string;
  stream: boolean;
  reserved: number;
  price: SnapshotPrice | null;
  multiplier: number;
  snapshotVersion: number;
  startedAt: number;
  clientIp: string | null;
}

export interface SettlementOutcome {
  status: UsageEvent['status'];
  httpStatus: number;
  /** null or void=true charges nothing. */
  usage: TokenUsage | null;
  estimated: boolean;
  /** Empty reply or a request that produced nothing: charge 0. */
  void: boolean;
  errorCode: string | null;
}

const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** Where a billed request's money and usage go. Absent only when billing is switched off for measurement. */
export interface SettlementLedger {
  wallet: WalletService;
  emitter: UsageEmitter;
}

export class Settlement {
  channelId: string | null = null;
  upstreamModel: string | null = null;
  firstByteAt: number | null = null;
  /** Upstream attempts of this request, in order; the relay appends one per try. */
  readonly attempts: UsageEvent['attempts'] = [];
  /** Governance hits and tags, appended by the governance middleware. */
  readonly governanceHits: UsageEvent['governanceHits'] = [];
  readonly tags: string[] = [];
  private finishing: Promise<void> | null = null;

  /** `ledger` null = billing off (BILLING=off): nothing was reserved, so finishing settles and emits nothing. */
  constructor(
    readonly context: SettlementContext,
    private readonly ledger: SettlementLedger | null,
  ) {}

  get finished(): boolean {
    return this.finishing !== null;
  }

  /** Idempotent: the first call settles and emits; later calls return the same promise. */
  finish(outcome: SettlementOutcome): Promise<void> {
    this.finishing ??= this.ledger ? this.run(outcome, this.ledger) : Promise.resolve();
    return this.finishing;
  }

  private async run(outcome: SettlementOutcome, ledger: SettlementLedger): Promise<void> {
    const context = this.context;
    const usage = outcome.usage ?? ZERO_USAGE;
    const charge = !outcome.void && outcome.usage !== null && context.price !== null;
    const breakdown = charge && context.price ? computeCost(usage, context.price, context.multiplier) : null;
    const cost = breakdown ? breakdown.total : 0;
    // Settle first: what the event records must be what actually left Redis (plan part, wallet part, overshoot cap).
    const charged = await this.settleMoney(ledger, cost);
    const now = Date.now();
    const event: UsageEvent = {
      requestId: context.requestId,
      userId: context.userId,
      tokenId: context.tokenId,
      channelId: this.channelId,
      model: context.model,
      upstreamModel: this.upstreamModel,
      endpoint: context.endpoint,
      stream: context.stream,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      estimated: outcome.estimated,
      cost: charged.planCost + charged.walletCost,
      reserved: context.reserved,
      snapshotVersion: context.snapshotVersion,
      startedAt: context.startedAt,
      durationMs: Math.max(0, now - context.startedAt),
      firstByteMs: this.firstByteAt === null ? null : Math.max(0, this.firstByteAt - context.startedAt),
      clientIp: context.clientIp,
      errorCode: outcome.errorCode,
      attempts: this.attempts,
      // Before the group multiplier, which applies to the total.
      costBreakdown: breakdown
        ? { input: breakdown.input, output: breakdown.output, cacheRead: breakdown.cacheRead, cacheWrite: breakdown.cacheWrite, perCall: breakdown.perCall }
        : null,
      planCost: charged.planCost,
      governanceHits: this.governanceHits,
      tags: this.tags,
    };
    if (charged.uncovered > 0) event.tags = [...event.tags, 'billing:overshoot-uncovered'];
    await ledger.emitter.emit(event);
  }

  /**
   * One settle round trip. A reservation that is already gone (swept) moved its money back already, and a settle that
   * failed leaves the reservation for the sweeper (which refunds it): either way this event charges nothing, so SQL
   * never books money Redis did not take.
   */
  private async settleMoney(ledger: SettlementLedger, cost: number): Promise<{ planCost: number; walletCost: number; uncovered: number }> {
    const context = this.context;
    try {
      const result = await ledger.wallet.settle(context.requestId, context.userId, context.tokenId, cost);
      if (!result.settled) {
        logger.warn('settle found no open reservation (already swept); charging nothing', { requestId: context.requestId });
        return { planCost: 0, walletCost: 0, uncovered: 0 };
      }
      if (result.uncovered > 0) {
        logger.warn('actual cost exceeded the reservation and the balances', { requestId: context.requestId, reserved: context.reserved, cost, uncovered: result.uncovered });
      }
      return result;
    } catch (error) {
      logger.error('settle failed; reservation left for the sweeper', { requestId: context.requestId, error: describeError(error) });
      return { planCost: 0, walletCost: 0, uncovered: 0 };
    }
  }
}
