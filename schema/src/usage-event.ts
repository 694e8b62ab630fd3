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
  /** Every upstream attempt, in order (failed ones cost nothing). */
  attempts: z
    .array(
      z.object({
        channelId: z.string(),
        keyId: z.string().nullable(),
        /** Upstream HTTP status; null for a connect error or timeout. */
        status: z.number().int().nullable(),
        errorCode: z.string().nullable(),
        durationMs: z.number().int().min(0),
      }),
    )
    .default([]),
  /** How `cost` splits, in credits (null when nothing was charged). */
  costBreakdown: z
    .object({
      input: z.number().int().min(0),
      output: z.number().int().min(0),
      cacheRead: z.number().int().min(0),
      cacheWrite: z.number().int().min(0),
      perCall: z.number().int().min(0),
    })
    .nullable()
    .default(null),
  /** Part of `cost` taken from the plan allowance (the rest from the wallet). */
  planCost: z.number().int().min(0).default(0),
  /** Governance rules that matched: the worker writes one audit record per hit. */
  governanceHits: z
    .array(z.object({ ruleId: z.string(), action: z.enum(['block', 'mask', 'reroute', 'tag']), excerpt: z.string().nullable() }))
    .default([]),
  tags: z.array(z.string()).default([]),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;
/** What a producer may write (the newer fields have defaults). */
export type UsageEventInput = z.input<typeof usageEventSchema>;
