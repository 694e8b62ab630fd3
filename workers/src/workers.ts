// Starts every BullMQ processor against the shared database. One process, scaled out by running more of them.
import 'reflect-metadata';
import { Worker } from 'bullmq';
import { openDatabase } from '@nebulagate/control-plane';
import { JOBS, QUEUES } from '@nebulagate/schema';
import type { WorkersConfig } from './config';
import { startChannelHealthJobs } from './jobs/channel-health-jobs';
import { readChannelHealthSettings, type ChannelHealthSettings } from './jobs/channel-health.job';
import { startMoneyJobs } from './jobs/money-jobs';
import { startNotifications } from './jobs/notification-jobs';
import { billUsage } from './jobs/usage-billing.job';
import { startUsageStreamForwarder } from './jobs/usage-stream-forwarder';
import { bullConnection } from './queues';

export interface WorkersHandle {
  close(): Promise<void>;
}

function log(message: string): void {
  process.stderr.write(`[workers] ${message}\n`);
}

/** `channelHealth` defaults to the CHANNEL_HEALTH_* environment; null turns health sweeps off. */
export async function startWorkers(config: WorkersConfig, channelHealth: ChannelHealthSettings | null = readChannelHealthSettings(process.env)): Promise<WorkersHandle> {
  const database = await openDatabase(config.databaseUrl, { poolMax: Math.max(2, config.concurrency + 1) });
  const notifications = await startNotifications(config.redisUrl, config.notifications ?? null, config.allowPrivateUpstreams ?? false, log, { email: config.email ?? null, orm: database.orm });
  const usageWorker = new Worker(
    QUEUES.usage,
    async (job) => {
      if (job.name !== JOBS.billUsage) throw new Error(`unknown job ${job.name} on queue ${QUEUES.usage}`);
      return billUsage(job.data, { orm: database.orm, notify: notifications.notify });
    },
    { connection: bullConnection(config.redisUrl), concurrency: config.concurrency, autorun: false },
  );
  usageWorker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${error.message}`));
  usageWorker.on('error', (error) => log(`worker error: ${error.message}`));
  void usageWorker.run();
  await usageWorker.waitUntilReady();
  // The data plane appends usage events to a Redis stream; this hands them to the usage queue above.
  const usageForwarder = await startUsageStreamForwarder(config.redisUrl, log);
  const moneyJobs = await startMoneyJobs(config.redisUrl, database.orm, log, notifications.notify);
  const channelHealthJobs = channelHealth ? await startChannelHealthJobs(config.redisUrl, database.orm, channelHealth, log) : null;
  let closing: Promise<void> | null = null;
  return {
    close() {
      // Graceful: let jobs in flight finish, then release the pool.
      closing ??= (async () => {
        await usageForwarder.close();
        await usageWorker.close();
        await moneyJobs.close();
        await channelHealthJobs?.close();
        await notifications.close();
        await database.close();
      })();
      return closing;
    },
  };
}
