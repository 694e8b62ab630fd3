// Queue names, job names and the typed job union (one place; Immich's JobOf<T> pattern).
import type { UsageEvent } from './usage-event';

export const QUEUES = {
  usage: 'usage',
  /** Money upkeep on schedules: reservation sweeper, plan resets, reconciliation. */
  money: 'money',
  /** Channel health sweeps (probe, auto-disable / re-enable with hysteresis). */
  channelHealth: 'channel-health',
  /** Outgoing notifications (the operator's webhook, e-mail): low balance, plan period started, plan ending / ended. */
  notifications: 'notifications',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  billUsage: 'bill-usage',
  sweepReservations: 'sweep-reservations',
  resetPlans: 'reset-plans',
  expirePlans: 'expire-plans',
  reconcileMoney: 'reconcile-money',
  sweepChannelHealth: 'sweep-channel-health',
  sendNotification: 'send-notification',
} as const;

/** One notification (webhook and/or e-mail); `id` is also its BullMQ job id, so each event is sent once. */
export interface NotificationJob {
  id: string;
  kind: 'balance.low' | 'plan.reset' | 'plan.expiring' | 'plan.expired';
  userId: string;
  /** ISO time the event happened. */
  at: string;
  details: Record<string, string | number | null>;
}

export type JobItem =
  | { queue: typeof QUEUES.usage; name: typeof JOBS.billUsage; data: UsageEvent }
  | { queue: typeof QUEUES.money; name: typeof JOBS.sweepReservations; data: Record<string, never> }
  | { queue: typeof QUEUES.money; name: typeof JOBS.resetPlans; data: { period: 'day' | 'week' | 'month' } }
  | { queue: typeof QUEUES.money; name: typeof JOBS.expirePlans; data: Record<string, never> }
  | { queue: typeof QUEUES.money; name: typeof JOBS.reconcileMoney; data: Record<string, never> }
  | { queue: typeof QUEUES.channelHealth; name: typeof JOBS.sweepChannelHealth; data: Record<string, never> }
  | { queue: typeof QUEUES.notifications; name: typeof JOBS.sendNotification; data: NotificationJob };
export type JobName = JobItem['name'];
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** BullMQ job ids may not contain ':'; request ids already satisfy that. */
export function usageJobId(requestId: string): string {
  return `usage-${requestId}`;
}
