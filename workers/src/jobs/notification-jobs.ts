// The notifications queue: billing and the plan jobs add one job per event (job id = notification id, so a retried
// billing job cannot notify twice); one worker delivers it to the operator's webhook and by e-mail, each with retries
// and backoff and each at most once (see deliverNotification). With neither configured nothing is queued.
import type { MikroORM } from '@mikro-orm/core';
import { createGuardedFetcher, User } from '@nebulagate/control-plane';
import { JOBS, QUEUES, type NotificationJob } from '@nebulagate/schema';
import { Queue, Worker } from 'bullmq';
import { createTransport } from 'nodemailer';
import { bullConnection } from '../queues';
import { sendNotificationEmail, type EmailRecipient, type EmailSettings } from './notification-email';
import { deliverNotification, readDeliveryProgress, sendNotification, type NotificationChannels, type NotificationSettings } from './notification.job';

export interface NotificationsHandle {
  notify(notification: NotificationJob): Promise<void>;
  close(): Promise<void>;
}

const DISABLED: NotificationsHandle = { notify: () => Promise.resolve(), close: () => Promise.resolve() };

export interface NotificationOptions {
  /** SMTP settings (readEmailSettings); null = no e-mail. */
  email?: EmailSettings | null;
  /** Needed with `email`: the user's address is read when the mail is sent. */
  orm?: MikroORM;
}

export async function startNotifications(
  redisUrl: string,
  settings: NotificationSettings | null,
  allowPrivateUpstreams: boolean,
  log: (message: string) => void,
  options: NotificationOptions = {},
): Promise<NotificationsHandle> {
  const email = options.email ?? null;
  if (!settings && !email) return DISABLED;
  const channels: NotificationChannels = {};
  const closers: Array<() => Promise<void> | void> = [];
  if (settings) {
    const fetcher = createGuardedFetcher({ allowPrivateUpstreams, timeoutMs: 10_000 });
    channels.webhook = (notification) => sendNotification(notification, { settings, fetcher });
    closers.push(() => fetcher.close());
  }
  if (email) {
    const orm = options.orm;
    if (!orm) throw new Error('e-mail notifications need the database (options.orm)');
    const transport = createTransport({
      host: email.host,
      port: email.port,
      secure: email.secure,
      auth: email.auth ?? undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // nodemailer's own logger could print the SMTP dialogue (AUTH included): keep it off.
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const recipientOf = async (userId: string): Promise<EmailRecipient | null> => {
      const user = await orm.em.fork().findOne(User, { id: userId }, { fields: ['username', 'email'] });
      return user ? { username: user.username, email: user.email } : null;
    };
    channels.email = (notification) => sendNotificationEmail(notification, { settings: email, transport, recipientOf });
    closers.push(() => transport.close());
  }
  const queue = new Queue(QUEUES.notifications, { connection: bullConnection(redisUrl) });
  const worker = new Worker(
    QUEUES.notifications,
    async (job) => {
      if (job.name !== JOBS.sendNotification) throw new Error(`unknown job ${job.name} on queue ${QUEUES.notifications}`);
      return deliverNotification(job.data as NotificationJob, channels, readDeliveryProgress(job.progress), (progress) => job.updateProgress(progress));
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
      for (const close of closers) await close();
    },
  };
}
