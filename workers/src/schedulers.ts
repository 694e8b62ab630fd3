// Every repeating job, as BullMQ job schedulers (upsert = idempotent across restarts and across worker processes).
import { JOBS, type JobOf } from '@nebulagate/schema';
import type { Queue } from 'bullmq';
import { resetCronOf, PLAN_PERIODS } from '@nebulagate/control-plane';

/** How often expired reservations are looked for (they expire after 30 minutes; a minute late is fine). */
export const RESERVATION_SWEEP_EVERY_MS = 60_000;
/** How often plans with an end date are looked at: ended ones stop within a minute, notices go out on time. */
export const PLAN_EXPIRY_EVERY_MS = 60_000;
/** How often Redis and SQL balances are compared (it skips itself while usage jobs are pending). */
export const RECONCILE_EVERY_MS = 15 * 60_000;

export async function scheduleReservationSweeper(moneyQueue: Queue): Promise<void> {
  const data: JobOf<typeof JOBS.sweepReservations> = {};
  await moneyQueue.upsertJobScheduler('reservation-sweeper', { every: RESERVATION_SWEEP_EVERY_MS }, { name: JOBS.sweepReservations, data });
}

/** One scheduler per period, at the first second of each period (UTC). */
export async function schedulePlanResets(moneyQueue: Queue): Promise<void> {
  for (const period of PLAN_PERIODS) {
    const data: JobOf<typeof JOBS.resetPlans> = { period };
    // Retried with backoff: a tick that failed part-way finishes the remaining users (the reset is once per period).
    await moneyQueue.upsertJobScheduler(`plan-reset-${period}`, { pattern: resetCronOf(period), tz: 'UTC' }, {
      name: JOBS.resetPlans,
      data,
      opts: { attempts: 8, backoff: { type: 'exponential', delay: 5_000 } },
    });
  }
}

/** Plan ends and "ending soon" notices (both idempotent, so a tick that fails is simply finished by the next). */
export async function schedulePlanExpiry(moneyQueue: Queue): Promise<void> {
  const data: JobOf<typeof JOBS.expirePlans> = {};
  await moneyQueue.upsertJobScheduler('plan-expiry', { every: PLAN_EXPIRY_EVERY_MS }, {
    name: JOBS.expirePlans,
    data,
    opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
}

export async function scheduleReconcile(moneyQueue: Queue): Promise<void> {
  const data: JobOf<typeof JOBS.reconcileMoney> = {};
  await moneyQueue.upsertJobScheduler('money-reconcile', { every: RECONCILE_EVERY_MS }, { name: JOBS.reconcileMoney, data });
}

/** Channel health sweeps every CHANNEL_HEALTH_INTERVAL_SECONDS; a run claims each channel for its slot (no double probes). */
export async function scheduleChannelHealth(channelHealthQueue: Queue, everyMs: number): Promise<void> {
  const data: JobOf<typeof JOBS.sweepChannelHealth> = {};
  await channelHealthQueue.upsertJobScheduler(
    'channel-health-sweep',
    { every: everyMs },
    { name: JOBS.sweepChannelHealth, data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
}
