// Starts a new plan period for every subscriber of plans with that period. Idempotent per (user, period key): a rerun,
// a duplicated scheduler tick or a crash mid-way grants nothing twice (see resetPlanPeriod).
import type { MikroORM } from '@mikro-orm/core';
import type { NotificationJob } from '@nebulagate/schema';
import { PLAN_PERIODS, PlanRedis, resetPlanPeriod, subscribersOf, type PlanPeriod, type PlanResetOutcome } from '@nebulagate/control-plane';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';

export interface PlanResetDependencies {
  orm: MikroORM;
  redis: Redis;
  /** Injected clock: tests move across a period boundary without waiting for one. */
  now?: () => Date;
  /** Queues an operator notification for each user whose new period started (best effort). */
  notify?: (notification: NotificationJob) => Promise<void>;
}

export interface PlanResetResult {
  period: PlanPeriod;
  reset: number;
  alreadyReset: number;
  skipped: number;
}

const PAGE_SIZE = 200;

export function readPlanPeriod(data: unknown): PlanPeriod {
  const value = typeof data === 'object' && data !== null && 'period' in data ? data.period : null;
  const period = PLAN_PERIODS.find((candidate) => candidate === value);
  if (!period) throw new UnrecoverableError('plan reset job needs period day | week | month');
  return period;
}

export async function resetPlans(data: unknown, dependencies: PlanResetDependencies): Promise<PlanResetResult> {
  const period = readPlanPeriod(data);
  const now = (dependencies.now ?? (() => new Date()))();
  const planRedis = new PlanRedis(dependencies.redis);
  const result: PlanResetResult = { period, reset: 0, alreadyReset: 0, skipped: 0 };
  const failed: string[] = [];
  const count: Record<PlanResetOutcome['outcome'], keyof PlanResetResult> = { reset: 'reset', 'already-reset': 'alreadyReset', skipped: 'skipped' };
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const userIds = await subscribersOf(dependencies.orm.em.fork(), period, offset, PAGE_SIZE);
    for (const userId of userIds) {
      try {
        const outcome = await resetPlanPeriod(dependencies.orm.em.fork(), planRedis, userId, now);
        const field = count[outcome.outcome];
        if (field !== 'period') result[field] += 1;
        if (outcome.outcome === 'reset' && dependencies.notify) {
          await dependencies
            .notify({
              id: `plan-reset-${userId}-${outcome.periodKey}`, kind: 'plan.reset', userId, at: now.toISOString(),
              details: { periodKey: outcome.periodKey, carried: outcome.carried, granted: outcome.granted },
            })
            .catch(() => undefined);
        }
      } catch (error) {
        // One user's failure (e.g. SQLite busy beside the usage worker) must not hold up the others.
        failed.push(`${userId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (userIds.length < PAGE_SIZE) break;
  }
  // Throwing makes BullMQ retry the job; users already reset are skipped by their period key.
  if (failed.length > 0) throw new Error(`plan reset failed for ${failed.length} user(s): ${failed.slice(0, 3).join('; ')}`);
  return result;
}
