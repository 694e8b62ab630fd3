// The channel-health queue: its scheduler, one worker running sweeps one at a time, the probe fetcher and a command
// Redis connection (short timeouts) for the snapshot publish; BullMQ gets its own blocking connections.
import type { MikroORM } from '@mikro-orm/core';
import { JOBS, QUEUES } from '@nebulagate/schema';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createGuardedFetcher, RedisPublisher } from '@nebulagate/control-plane';
import { bullConnection } from '../queues';
import { scheduleChannelHealth } from '../schedulers';
import { sweepChannelHealth, type ChannelHealthSettings } from './channel-health.job';

export interface ChannelHealthJobsHandle {
  close(): Promise<void>;
}

export async function startChannelHealthJobs(redisUrl: string, orm: MikroORM, settings: ChannelHealthSettings, log: (message: string) => void): Promise<ChannelHealthJobsHandle> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, commandTimeout: 10_000 });
  redis.on('error', (error: Error) => log(`channel-health redis error: ${error.message}`));
  const publisher = new RedisPublisher(redis, orm, (message, error) => log(`${message}: ${error instanceof Error ? error.message : String(error)}`));
  const fetcher = createGuardedFetcher({ allowPrivateUpstreams: settings.allowPrivateUpstreams, timeoutMs: settings.timeoutMs });
  const queue = new Queue(QUEUES.channelHealth, { connection: bullConnection(redisUrl) });
  const worker = new Worker(
    QUEUES.channelHealth,
    async (job) => {
      if (job.name !== JOBS.sweepChannelHealth) throw new Error(`unknown job ${job.name} on queue ${QUEUES.channelHealth}`);
      return sweepChannelHealth({ orm, redis, fetcher, settings, publishSnapshot: () => publisher.publishSnapshot() });
    },
    // One sweep at a time per process; a sweep probes channels in parallel itself.
    { connection: bullConnection(redisUrl), concurrency: 1, autorun: false },
  );
  worker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => log(`channel-health worker error: ${error.message}`));
  await scheduleChannelHealth(queue, settings.everyMs);
  void worker.run();
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await queue.close();
      await fetcher.close();
      redis.disconnect();
    },
  };
}
