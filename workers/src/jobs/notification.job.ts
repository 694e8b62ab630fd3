// Sends one notification to the operator's webhook (NOTIFY_WEBHOOK_URL): a JSON body signed with HMAC-SHA256 under
// NOTIFY_WEBHOOK_SECRET (header `x-nebulagate-signature: t=<unix seconds>,v1=<hex of t + "." + body>`), through the
// SSRF-guarded fetcher. A non-2xx answer or a network error throws, so BullMQ retries with backoff; the job id is the
// notification id, so an event is delivered at most once per successful attempt.
import { createHmac } from 'node:crypto';
import type { GuardedFetcher } from '@nebulagate/control-plane';
import { ConfigError, type NotificationJob } from '@nebulagate/schema';
import { UnrecoverableError } from 'bullmq';

export interface NotificationSettings {
  url: string;
  secret: string;
}

/** Both or neither: a webhook without a secret could be forged by anyone who learns its address. */
export function readNotificationSettings(env: NodeJS.ProcessEnv): NotificationSettings | null {
  const url = env.NOTIFY_WEBHOOK_URL?.trim() ?? '';
  const secret = env.NOTIFY_WEBHOOK_SECRET?.trim() ?? '';
  if (!url && !secret) return null;
  if (!url || !secret) throw new ConfigError(url ? 'NOTIFY_WEBHOOK_SECRET' : 'NOTIFY_WEBHOOK_URL', 'set both NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET, or neither');
  if (secret.length < 16) throw new ConfigError('NOTIFY_WEBHOOK_SECRET', 'must be at least 16 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('NOTIFY_WEBHOOK_URL', 'must be an http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError('NOTIFY_WEBHOOK_URL', 'must be an http(s) URL');
  return { url, secret };
}

export function signNotification(body: string, secret: string, unixSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${signature}`;
}

export async function sendNotification(
  notification: NotificationJob,
  dependencies: { settings: NotificationSettings; fetcher: GuardedFetcher; now?: () => number },
): Promise<{ status: number }> {
  const body = JSON.stringify(notification);
  const unixSeconds = Math.floor((dependencies.now ?? Date.now)() / 1000);
  let status: number;
  try {
    const response = await dependencies.fetcher.request({
      url: dependencies.settings.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nebulagate-signature': signNotification(body, dependencies.settings.secret, unixSeconds) },
      body,
    });
    status = response.status;
  } catch (error) {
    throw new Error(`notification webhook unreachable: ${error instanceof Error ? error.message : 'network error'}`);
  }
  // A 4xx other than 408/429 will not get better by retrying.
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new UnrecoverableError(`notification webhook refused it (${status})`);
  if (status < 200 || status >= 300) throw new Error(`notification webhook answered ${status}`);
  return { status };
}
