// One usage event per relayed request: emitted by the data plane after settling, billed by the usage worker.
import { z } from 'zod';

export const usageEventSchema = z.object({
  /** Unique per client request; also the BullMQ jobId and the ledger idempotency key. No ':' in it. */
  requestId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  userId: z.string(),
  tokenId: z.string(),
  /** null when no channel was reached (e.g. every attempt failed before routing). */
  channelId: z.string().nullable(),
  /** Model as the client asked for it. */
  model: z.string(),
  /** Model name sent upstream after mapping. */
  upstreamModel: z.string().nullable(),
  endpoint: z.string(),
  stream: z.boolean(),
  status: z.enum(['success', 'error', 'client_aborted']),
  httpStatus: z.number().int(),
  promptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0),
  /** True when the upstream gave no usage and tokens were counted locally. */
  estimated: z.boolean(),
  /** Credits charged (already taken from the Redis wallet at settle time). */
  cost: z.number().int().min(0),
  /** Credits that were reserved before the call. */
  reserved: z.number().int().min(0),
  snapshotVersion: z.number().int(),
  startedAt: z.number().int(),
  durationMs: z.number().int().min(0),
  firstByteMs: z.number().int().min(0).nullable(),
  clientIp: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;
