// Workers settings from the environment (same variable names as the control plane).
import { readDatabaseUrl } from '@nebulagate/control-plane';
import { ConfigError, readBoolean, readDataDirectory, readRedisUrl } from '@nebulagate/schema';
import { readEmailSettings, type EmailSettings } from './jobs/notification-email';
import { readNotificationSettings, type NotificationSettings } from './jobs/notification.job';

export interface WorkersConfig {
  databaseUrl: string;
  redisUrl: string;
  concurrency: number;
  /** NOTIFY_WEBHOOK_URL + NOTIFY_WEBHOOK_SECRET; absent = no notifications. */
  notifications?: NotificationSettings | null;
  /** SMTP_URL or SMTP_HOST..., SMTP_FROM, NOTIFY_EMAIL_TO; absent = no e-mailed notices. */
  email?: EmailSettings | null;
  /** ALLOW_PRIVATE_UPSTREAMS: the webhook may be on a private address (tests, an internal receiver). */
  allowPrivateUpstreams?: boolean;
}

export function loadWorkersConfig(env: NodeJS.ProcessEnv): WorkersConfig {
  const dataDir = readDataDirectory(env);
  let concurrency = 8;
  if (env.WORKER_CONCURRENCY !== undefined && env.WORKER_CONCURRENCY.trim() !== '') {
    concurrency = Number(env.WORKER_CONCURRENCY);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new ConfigError('WORKER_CONCURRENCY', 'must be an integer between 1 and 256');
  }
  return {
    databaseUrl: readDatabaseUrl(env, dataDir),
    redisUrl: readRedisUrl(env),
    concurrency,
    notifications: readNotificationSettings(env),
    email: readEmailSettings(env),
    allowPrivateUpstreams: readBoolean(env, 'ALLOW_PRIVATE_UPSTREAMS', false),
  };
}
