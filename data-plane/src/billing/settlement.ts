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
    const now = Date.now();
    // cost and planCost are filled in from what the settle script actually took (plan part, wallet part, overshoot
    // cap) when the stream entry is read; the event written here says 0 for both.
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
      cost: 0,
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
      planCost: 0,
      governanceHits: this.governanceHits,
      tags: this.tags,
    };
    await this.settleAndRecord(ledger, cost, event);
  }

  /**
   * One round trip settles the money and appends the event. A reservation that is already gone (swept) moved its money
   * back already, and the sweeper wrote the request's record. A settle that failed may still have run (a lost reply):
   * it is spooled and run again later, which the script makes safe (a second run finds nothing open and writes
   * nothing), so the charged event is never raced by a cost-0 copy and SQL books exactly what Redis took.
   */
  private async settleAndRecord(ledger: SettlementLedger, cost: number, event: UsageEvent): Promise<void> {
    const context = this.context;
    let result: Awaited<ReturnType<SettlementLedger['wallet']['settle']>>;
    try {
      result = await ledger.wallet.settle(context.requestId, context.userId, context.tokenId, cost, JSON.stringify(event));
    } catch (error) {
      logger.error('settle failed; spooled to run again when Redis answers', { requestId: context.requestId, error: describeError(error) });
      await ledger.emitter.spoolSettle(event, { requestId: context.requestId, userId: context.userId, tokenId: context.tokenId, cost });
      return;
    }
    if (result.pendingCharge) {
      // Served while Redis was unreachable and it still is: the event and its charge wait in the spool together.
      await ledger.emitter.spoolCharged(event, result.pendingCharge);
      return;
    }
    ledger.emitter.countRecorded();
    if (!result.settled) logger.warn('settle found no open reservation (already swept); charging nothing', { requestId: context.requestId });
    if (result.uncovered > 0) {
      logger.warn('actual cost exceeded the reservation and the balances', { requestId: context.requestId, reserved: context.reserved, cost, uncovered: result.uncovered });
    }
  }
}
