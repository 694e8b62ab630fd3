// Plans with an end date: a `plan.expiring` notice PLAN_EXPIRY_NOTICE_DAYS before the end, and at the end the
// allowance left expires, the subscription goes and a `plan.expired` notice follows. One notice per subscription
// and end date per kind, however often the scheduler ticks or a run is retried (see endPlanSubscription).
import type { MikroORM } from '@mikro-orm/core';
import { ConfigError, type NotificationJob } from '@nebulagate/schema';
import { endedSubscriptions, endPlanSubscription, markExpiryNoticed, Plan, PlanRedis, subscriptionsToNotice, type PlanSubscription } from '@nebulagate/control-plane';
import type { Redis } from 'ioredis';

export const DEFAULT_PLAN_EXPIRY_NOTICE_DAYS = 3;

/** PLAN_EXPIRY_NOTICE_DAYS: 0 turns the "ending soon" notice off; at most a year. */
export function readPlanExpiryNoticeDays(env: NodeJS.ProcessEnv): number {
  const raw = env.PLAN_EXPIRY_NOTICE_DAYS?.trim() ?? '';
  if (raw === '') return DEFAULT_PLAN_EXPIRY_NOTICE_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > 366) throw new ConfigError('PLAN_EXPIRY_NOTICE_DAYS', 'must be a whole number of days, 0-366');
  return days;
}

export interface PlanExpiryDependencies {
  orm: MikroORM;
  redis: Redis;
  noticeDays: number;
  /** Injected clock: tests move to a plan's end without waiting for it. */
  now?: () => Date;
  notify?: (notification: NotificationJob) => Promise<void>;
}

export interface PlanExpiryResult {
  ended: number;
  noticed: number;
}

const PAGE_SIZE = 200;
const DAY_MS = 24 * 3600 * 1000;

/** Job id safe (no ':'), and one per subscription and end date. */
function noticeId(kind: 'expiring' | 'expired', subscriptionId: string, endsAt: Date): string {
  return `plan-${kind}-${subscriptionId}-${endsAt.getTime()}`;
}

/**
 * Handles every subscription `fetch` lists. Handled ones leave the list (removed, or marked noticed); one that
 * fails, or was left alone because its end date changed meanwhile, is skipped for the rest of this run.
 */
async function drain(
  fetch: (limit: number) => Promise<PlanSubscription[]>,
  handle: (subscription: PlanSubscription) => Promise<boolean>,
  failed: string[],
): Promise<number> {
  const skipped = new Set<string>();
  let handled = 0;
  for (;;) {
    const limit = PAGE_SIZE + skipped.size;
    const listed = await fetch(limit);
    const page = listed.filter((subscription) => !skipped.has(subscription.id));
    for (const subscription of page) {
      try {
        if (await handle(subscription)) handled += 1;
        else skipped.add(subscription.id);
      } catch (error) {
        skipped.add(subscription.id);
        failed.push(`${subscription.userId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (listed.length < limit || page.length === 0) return handled;
  }
}

export async function expirePlans(dependencies: PlanExpiryDependencies): Promise<PlanExpiryResult> {
  const now = (dependencies.now ?? (() => new Date()))();
  const { orm } = dependencies;
  const planRedis = new PlanRedis(dependencies.redis);
  const notify = dependencies.notify ?? (() => Promise.resolve());
  const failed: string[] = [];
  const ended = await drain(
    (limit) => endedSubscriptions(orm.em.fork(), now, limit),
    async (subscription) => {
      const end = await endPlanSubscription(orm.em.fork(), planRedis, subscription.id, now, (outcome) =>
        // Queued before the subscription goes: a crash in between queues it again under the same job id.
        notify({
          id: noticeId('expired', outcome.subscriptionId, outcome.endsAt), kind: 'plan.expired', userId: outcome.userId, at: now.toISOString(),
          details: { planId: outcome.planId, planName: outcome.planName, endsAt: outcome.endsAt.toISOString(), expired: outcome.expired },
        }),
      );
      return end !== null;
    },
    failed,
  );
  let noticed = 0;
  if (dependencies.noticeDays > 0) {
    const horizon = new Date(now.getTime() + dependencies.noticeDays * DAY_MS);
    noticed = await drain(
      (limit) => subscriptionsToNotice(orm.em.fork(), now, horizon, limit),
      async (subscription) => {
        const endsAt = subscription.endsAt;
        if (!endsAt) return false;
        const plan = await orm.em.fork().findOne(Plan, { id: subscription.planId }, { fields: ['name'] });
        // Queued, then marked: a crash in between queues it again under the same job id.
        await notify({
          id: noticeId('expiring', subscription.id, endsAt), kind: 'plan.expiring', userId: subscription.userId, at: now.toISOString(),
          details: { planId: subscription.planId, planName: plan?.name ?? null, endsAt: endsAt.toISOString() },
        });
        return markExpiryNoticed(orm.em.fork(), subscription.id, endsAt);
      },
      failed,
    );
  }
  // Throwing makes BullMQ retry; what is done stays done (posting keys, Redis markers, notice job ids, marks).
  if (failed.length > 0) throw new Error(`plan expiry failed for ${failed.length} subscription(s): ${failed.slice(0, 3).join('; ')}`);
  return { ended, noticed };
}
