// Every queue the workers consume, with its default job options and job-id policy, in one place.
import type { JobsOptions } from 'bullmq';

export { JOBS, QUEUES, usageJobId } from '@nebulagate/schema';

/** Producers (the data plane) should add usage jobs with these options; jobId = usageJobId(requestId) dedupes re-sends. */
export const USAGE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60 },
};

/** BullMQ connections block and retry forever by design: they must never be shared with a request path. */
export function bullConnection(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
