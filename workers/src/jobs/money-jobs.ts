// The money upkeep queue: one worker dispatching the reservation sweeper, plan resets and reconciliation, plus their
// schedulers. Its own command connection (short timeouts) for the Lua scripts; BullMQ gets blocking connections.
import type { MikroORM } from '@mikro-orm/core';
import { JOBS, QUEUES, redisKeys, type NotificationJob } from '@nebulagate/schema';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection } from '../queues';
import { scheduleReconcile, schedulePlanExpiry, schedulePlanResets, scheduleReservationSweeper } from '../schedulers';
import { expirePlans, readPlanExpiryNoticeDays } from './plan-expiry.job';
import { resetPlans } from './plan-reset.job';
import { reconcileMoney } from './reconcile.job';
import { sweepReservations } from './reservation-sweeper.job';

export interface MoneyJobsHandle {
  close(): Promise<void>;
}

export async function startMoneyJobs(
  redisUrl: string,
  orm: MikroORM,
  log: (message: string) => void,
  notify?: (notification: NotificationJob) => Promise<void>,
  planExpiryNoticeDays: number = readPlanExpiryNoticeDays(process.env),
): Promise<MoneyJobsHandle> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, commandTimeout: 10_000 });
  redis.on('error', (error: Error) => log(`money redis error: ${error.message}`));
  const moneyQueue = new Queue(QUEUES.money, { connection: bullConnection(redisUrl) });
  const usageQueue = new Queue(QUEUES.usage, { connection: bullConnection(redisUrl) });
  // Events still in the usage stream count as pending too: the forwarder has not queued them yet.
  const pendingUsageJobs = async () => {
    const [counts, streamed] = await Promise.all([
      usageQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
      redis.xlen(redisKeys.usageStream),
    ]);
    return streamed + Object.values(counts).reduce((sum, count) => sum + count, 0);
  };
  const worker = new Worker(
    QUEUES.money,
    async (job) => {
      if (job.name === JOBS.sweepReservations) return sweepReservations({ orm, redis });
      if (job.name === JOBS.resetPlans) return resetPlans(job.data, { orm, redis, notify });
      if (job.name === JOBS.expirePlans) return expirePlans({ orm, redis, notify, noticeDays: planExpiryNoticeDays });
      if (job.name === JOBS.reconcileMoney) return reconcileMoney({ orm, redis, pendingUsageJobs, log });
      throw new Error(`unknown job ${job.name} on queue ${QUEUES.money}`);
    },
    // One at a time: these are batch passes, and two sweeps side by side would only contend.
    { connection: bullConnection(redisUrl), concurrency: 1, autorun: false },
  );
  worker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => log(`money worker error: ${error.message}`));
  await scheduleReservationSweeper(moneyQueue);
  await schedulePlanResets(moneyQueue);
  await schedulePlanExpiry(moneyQueue);
  await scheduleReconcile(moneyQueue);
  void worker.run();
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await Promise.all([moneyQueue.close(), usageQueue.close()]);
      redis.disconnect();
    },
  };
}
