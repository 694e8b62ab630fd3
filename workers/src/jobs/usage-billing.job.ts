// Bills one usage event: usage log + ledger posting + SQL balance in ONE transaction, at most once per request id.
// The Redis wallet is not touched: the data plane already took the money there; this makes SQL catch up.
import type { MikroORM } from '@mikro-orm/core';
import { UnrecoverableError } from 'bullmq';
import { usageEventSchema, type NotificationJob, type UsageEvent } from '@nebulagate/schema';
import { addTokenQuotaUsed, isUniqueViolation, noteLowBalance, postLedgerEntry, postPlanUsage, recordAudit, UnknownUserError, UsageLog, UsageStatus } from '@nebulagate/control-plane';

const USAGE_STATUS: Record<UsageEvent['status'], UsageStatus> = {
  success: UsageStatus.SUCCESS,
  error: UsageStatus.ERROR,
  client_aborted: UsageStatus.CLIENT_ABORTED,
};

export interface UsageBillingDependencies {
  orm: MikroORM;
  /** Queues an operator notification after the commit (best effort: a failure is logged, billing stands). */
  notify?: (notification: NotificationJob) => Promise<void>;
}

export type UsageBillingResult =
  | { outcome: 'billed'; requestId: string; cost: number; balanceAfter: number | null }
  | { outcome: 'already-billed'; requestId: string };

export function parseUsageEvent(data: unknown): UsageEvent {
  const parsed = usageEventSchema.safeParse(data);
  // A malformed payload will be just as malformed on the next attempt: fail for good.
  if (!parsed.success) throw new UnrecoverableError(`invalid usage event: ${parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

export async function billUsage(data: unknown, dependencies: UsageBillingDependencies): Promise<UsageBillingResult> {
  const event = parseUsageEvent(data);
  const em = dependencies.orm.em.fork();
  try {
    let lowBalance: { balanceBefore: number; balanceAfter: number } | null = null;
    const result = await em.transactional(async (transaction) => {
      const log = transaction.create(UsageLog, {
        requestId: event.requestId,
        userId: event.userId,
        tokenId: event.tokenId,
        channelId: event.channelId,
        model: event.model,
        upstreamModel: event.upstreamModel,
        endpoint: event.endpoint,
        stream: event.stream,
        status: USAGE_STATUS[event.status],
        httpStatus: event.httpStatus,
        promptTokens: event.promptTokens,
        completionTokens: event.completionTokens,
        cacheReadTokens: event.cacheReadTokens,
        cacheWriteTokens: event.cacheWriteTokens,
        estimated: event.estimated,
        cost: event.cost,
        reserved: event.reserved,
        snapshotVersion: event.snapshotVersion,
        durationMs: event.durationMs,
        firstByteMs: event.firstByteMs,
        clientIp: event.clientIp,
        errorCode: event.errorCode,
        attempts: event.attempts,
        costBreakdown: event.costBreakdown,
        tags: event.tags,
        createdAt: new Date(event.startedAt),
        day: new Date(event.startedAt).toISOString().slice(0, 10),
        billedAt: new Date(),
      });
      // One audit record per governance hit, committed with the usage log (so exactly once, like the log).
      for (const hit of event.governanceHits) {
        recordAudit(transaction, {
          actorId: null,
          action: `governance.${hit.action}`,
          target: hit.ruleId,
          after: { requestId: event.requestId, userId: event.userId, tokenId: event.tokenId, model: event.model, endpoint: event.endpoint, excerpt: hit.excerpt },
          ip: event.clientIp,
        });
      }
      // Insert first: a second run of the same request stops here on the unique request id.
      await transaction.flush();
      let balanceAfter: number | null = null;
      // The data plane took planCost from the plan allowance and the rest from the wallet: book each where it came from.
      const planCost = Math.min(event.planCost, event.cost);
      const walletCost = event.cost - planCost;
      if (planCost > 0) await postPlanUsage(transaction, { userId: event.userId, requestId: event.requestId, amount: planCost, model: event.model });
      if (event.cost > 0) await addTokenQuotaUsed(transaction, event.tokenId, event.cost);
      if (walletCost > 0) {
        const entry = await postLedgerEntry(transaction, {
          userId: event.userId,
          kind: 'usage',
          amount: -walletCost,
          reason: `usage ${event.model} (${log.requestId})`,
          actorId: null,
          idempotencyKey: `${event.requestId}:usage`,
          allowNegative: true,
        });
        balanceAfter = entry.balanceAfter;
        if (await noteLowBalance(transaction, event.userId, entry.balanceAfter + walletCost, entry.balanceAfter)) {
          lowBalance = { balanceBefore: entry.balanceAfter + walletCost, balanceAfter: entry.balanceAfter };
        }
      }
      return { outcome: 'billed' as const, requestId: event.requestId, cost: event.cost, balanceAfter };
    });
    if (lowBalance && dependencies.notify) {
      const notification: NotificationJob = { id: `balance-low-${event.requestId}`, kind: 'balance.low', userId: event.userId, at: new Date().toISOString(), details: lowBalance };
      await dependencies.notify(notification).catch((error: unknown) => {
        process.stderr.write(`[workers] low-balance notification not queued: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) return { outcome: 'already-billed', requestId: event.requestId };
    if (error instanceof UnknownUserError) throw new UnrecoverableError(`usage event ${event.requestId} names unknown user ${event.userId}`);
    throw error;
  }
}
