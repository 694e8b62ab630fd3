// Queue names, job names and the typed job union (one place; Immich's JobOf<T> pattern).
import type { UsageEvent } from './usage-event';

export const QUEUES = {
  usage: 'usage',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  billUsage: 'bill-usage',
} as const;

export type JobItem = { queue: typeof QUEUES.usage; name: typeof JOBS.billUsage; data: UsageEvent };
export type JobName = JobItem['name'];
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** BullMQ job ids may not contain ':'; request ids already satisfy that. */
export function usageJobId(requestId: string): string {
  return `usage-${requestId}`;
}
