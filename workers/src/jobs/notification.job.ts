// Delivers one notification on its channels (webhook, e-mail: see notification-email.ts), each once.
// The webhook (NOTIFY_WEBHOOK_URL) gets a JSON body signed with HMAC-SHA256 under
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

/** Per channel, how a notice went: kept as the job's progress, so a retry skips what is done for good. */
export type DeliveryProgress = Partial<Record<'webhook' | 'email', 'sent' | 'refused'>>;
export type NotificationChannels = Partial<Record<keyof DeliveryProgress, (notification: NotificationJob) => Promise<unknown>>>;

export function readDeliveryProgress(progress: unknown): DeliveryProgress {
  if (typeof progress !== 'object' || progress === null) return {};
  const result: DeliveryProgress = {};
  for (const channel of ['webhook', 'email'] as const) {
    const state = (progress as Record<string, unknown>)[channel];
    if (state === 'sent' || state === 'refused') result[channel] = state;
  }
  return result;
}

/**
 * Sends a notice on every configured channel not yet done. A channel that delivered (or refused for good) is
 * recorded before the next is tried, so when the webhook fails after the mail went out, the retry sends the webhook
 * only: a mail is sent once per notice. Throws (BullMQ retries) while a channel can still succeed.
 */
export async function deliverNotification(
  notification: NotificationJob,
  channels: NotificationChannels,
  progress: DeliveryProgress,
  saveProgress: (progress: DeliveryProgress) => Promise<void>,
): Promise<DeliveryProgress> {
  let state = { ...progress };
  const failures: Error[] = [];
  for (const channel of ['webhook', 'email'] as const) {
    const send = channels[channel];
    if (!send || state[channel]) continue;
    try {
      await send(notification);
      state = { ...state, [channel]: 'sent' };
      await saveProgress(state);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (failure instanceof UnrecoverableError) {
        state = { ...state, [channel]: 'refused' };
        await saveProgress(state);
      }
      failures.push(failure);
    }
  }
  if (failures.length === 0) return state;
  const message = failures.map((failure) => failure.message).join('; ');
  if (failures.every((failure) => failure instanceof UnrecoverableError)) throw new UnrecoverableError(message);
  throw new Error(message);
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
