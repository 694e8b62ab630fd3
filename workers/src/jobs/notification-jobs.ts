// The notifications queue: billing and plan resets add one job per event (job id = notification id, so a retried
// billing job cannot notify twice); one worker sends them to the operator's webhook with retries and backoff. Without
// NOTIFY_WEBHOOK_URL nothing is queued.
import { createGuardedFetcher } from '@nebulagate/control-plane';
import { JOBS, QUEUES, type NotificationJob } from '@nebulagate/schema';
import { Queue, Worker } from 'bullmq';
import { bullConnection } from '../queues';
import { sendNotification, type NotificationSettings } from './notification.job';

export interface NotificationsHandle {
  notify(notification: NotificationJob): Promise<void>;
  close(): Promise<void>;
}

const DISABLED: NotificationsHandle = { notify: () => Promise.resolve(), close: () => Promise.resolve() };

export async function startNotifications(
  redisUrl: string,
  settings: NotificationSettings | null,
  allowPrivateUpstreams: boolean,
  log: (message: string) => void,
): Promise<NotificationsHandle> {
  if (!settings) return DISABLED;
  const fetcher = createGuardedFetcher({ allowPrivateUpstreams, timeoutMs: 10_000 });
  const queue = new Queue(QUEUES.notifications, { connection: bullConnection(redisUrl) });
  const worker = new Worker(
    QUEUES.notifications,
    async (job) => {
      if (job.name !== JOBS.sendNotification) throw new Error(`unknown job ${job.name} on queue ${QUEUES.notifications}`);
      return sendNotification(job.data as NotificationJob, { settings, fetcher });
    },
    { connection: bullConnection(redisUrl), concurrency: 4, autorun: false },
  );
  worker.on('failed', (job, error) => log(`notification ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => log(`notification worker error: ${error.message}`));
  void worker.run();
  await worker.waitUntilReady();
  return {
    async notify(notification) {
      await queue.add(JOBS.sendNotification, notification, {
        jobId: notification.id,
        attempts: 8,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    },
    async close() {
      await worker.close();
      await queue.close();
      await fetcher.close();
    },
  };
}
