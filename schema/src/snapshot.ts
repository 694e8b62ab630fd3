// The compiled routing + pricing snapshot: written by the control plane, read (and kept in memory) by the data plane.
// Immutable and versioned; a data plane swaps to a newer version atomically.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PROVIDER_IDS } from './provider-ids';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** RPM / TPM / concurrent-request caps; null = no cap. Used per token, user, IP and channel. */
export const limitsSchema = z.object({
  requestsPerMinute: z.number().int().positive().nullable().default(null),
  tokensPerMinute: z.number().int().positive().nullable().default(null),
  concurrentRequests: z.number().int().positive().nullable().default(null),
});
export type Limits = z.infer<typeof limitsSchema>;
export const NO_LIMITS: Limits = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };

export const snapshotChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(PROVIDER_IDS),
  baseUrl: z.string(),
  /** Each entry is one upstream key sealed with sealSecret() (AES-256-GCM under CRYPTO_SECRET). */
  sealedKeys: z.array(z.string()).min(1),
  /** Models this channel serves, as clients name them. */
  models: z.array(z.string()),
  /** Client model name -> upstream model name. */
  modelMapping: z.record(z.string(), z.string()),
  priority: z.number().int(),
  weight: z.number().int().min(0),
  groups: z.array(z.string()),
  /**
   * Stable id of each key, index-aligned with sealedKeys (first 16 hex of sha256(key)): names a key in breaker state,
   * per-key disables and logs without revealing it. Empty = ids not compiled (older snapshots).
   */
  keyIds: z.array(z.string()).default([]),
  keySelection: z.enum(['random', 'round-robin']).default('random'),
  /** Top-level JSON fields set in the upstream body (null removes the field). Applied after model mapping. */
  parameterOverrides: z.record(z.string(), z.unknown()).default({}),
  /** Extra upstream request headers (never auth headers). */
  headerOverrides: z.record(z.string(), z.string()).default({}),
  /** Upstream status -> the status it is treated as (new-api's status_code_mapping), e.g. {"400": 500}. */
  statusCodeMapping: z.record(z.string(), z.number().int()).default({}),
  /** Caps protecting the upstream account, shared by every data-plane node. */
  limits: limitsSchema.default(NO_LIMITS),
  tags: z.array(z.string()).default([]),
});
export type SnapshotChannel = z.infer<typeof snapshotChannelSchema>;

export const routeTierSchema = z.object({
  priority: z.number().int(),
  channels: z.array(z.object({ channelId: z.string(), weight: z.number().int().min(0) })),
});
export type RouteTier = z.infer<typeof routeTierSchema>;

export const snapshotPriceSchema = z.object({
  inputPerMillion: z.number().int().min(0),
  outputPerMillion: z.number().int().min(0),
  cacheReadPerMillion: z.number().int().min(0).nullable(),
  cacheWritePerMillion: z.number().int().min(0).nullable(),
  perCall: z.number().int().min(0),
  /** Output tokens assumed when reserving for a request that sets no max_tokens; null = settings default. */
  defaultMaxOutputTokens: z.number().int().positive().nullable(),
});
export type SnapshotPrice = z.infer<typeof snapshotPriceSchema>;

export const retrySettingsSchema = z.object({
  /** Upstream attempts per request, first try included. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Global budget: retries may add at most this share of first attempts (0.2 = 20 % extra), across all nodes. */
  budgetRatio: z.number().min(0).max(10).default(0.2),
  /** Upstream statuses that move on to another channel (connect errors and timeouts always do). */
  retryOnStatus: z.array(z.number().int()).default([408, 429, 500, 502, 503, 504, 520, 521, 522, 524, 529]),
});
export type RetrySettings = z.infer<typeof retrySettingsSchema>;

export const breakerSettingsSchema = z.object({
  windowSeconds: z.number().int().positive().default(60),
  /** No opening before this many requests in the window. */
  minimumRequests: z.number().int().positive().default(10),
  /** Failure share in the window that opens the breaker. */
  failureRateThreshold: z.number().min(0).max(1).default(0.5),
  /** How long an open breaker refuses traffic before letting a half-open probe through. */
  openSeconds: z.number().int().positive().default(30),
});
export type BreakerSettings = z.infer<typeof breakerSettingsSchema>;

export const sessionAffinitySettingsSchema = z.object({
  enabled: z.boolean().default(false),
  /** Request headers that name a conversation, first present wins (Claude Code sends x-claude-code-session-id). */
  headers: z.array(z.string()).default(['x-session-id', 'x-claude-code-session-id']),
  ttlSeconds: z.number().int().positive().default(3600),
});
export type SessionAffinitySettings = z.infer<typeof sessionAffinitySettingsSchema>;

export const limitSettingsSchema = z.object({
  /** Per client IP. */
  perIp: limitsSchema.default(NO_LIMITS),
  /** Per user, by user group; a user record's own limits win. */
  groupDefaults: z.record(z.string(), limitsSchema).default({}),
});
export type LimitSettings = z.infer<typeof limitSettingsSchema>;

export const snapshotSettingsSchema = z.object({
  /** Output-token cap assumed for reservations when neither the request nor the model price sets one. */
  defaultMaxOutputTokens: z.number().int().positive(),
  /** A model with no price row: refuse it (false) or serve it for free (true). */
  allowUnpricedModels: z.boolean(),
  /** Largest accepted request body, after decompression. */
  maxRequestBodyBytes: z.number().int().positive(),
  retry: retrySettingsSchema.default(retrySettingsSchema.parse({})),
  breaker: breakerSettingsSchema.default(breakerSettingsSchema.parse({})),
  sessionAffinity: sessionAffinitySettingsSchema.default(sessionAffinitySettingsSchema.parse({})),
  limits: limitSettingsSchema.default(limitSettingsSchema.parse({})),
});
export type SnapshotSettings = z.infer<typeof snapshotSettingsSchema>;

/** A governance rule (detect -> block / mask / reroute / tag). Every hit is audited with rule, action and request id. */
export const governanceRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Rules run in ascending order; the first block or reroute ends evaluation, masks and tags accumulate. */
  order: z.number().int(),
  match: z.object({
    /** Regular expressions (JavaScript syntax, flags `iu` unless caseSensitive) tested against the prompt text. */
    patterns: z.array(z.string()).default([]),
    /** Plain keywords (substring match) against the prompt text. */
    keywords: z.array(z.string()).default([]),
    caseSensitive: z.boolean().default(false),
    /** Scope; null = any. A rule with no pattern and no keyword matches on scope alone. */
    models: z.array(z.string()).nullable().default(null),
    paths: z.array(z.string()).nullable().default(null),
    groups: z.array(z.string()).nullable().default(null),
    tokenIds: z.array(z.string()).nullable().default(null),
  }),
  action: z.enum(['block', 'mask', 'reroute', 'tag']),
  /** mask: what replaces each match. */
  maskWith: z.string().default('***'),
  /** reroute: serve the request with this model instead (routes and price of that model). */
  rerouteModel: z.string().nullable().default(null),
  /** block: the message the caller sees. */
  blockMessage: z.string().nullable().default(null),
  tag: z.string().nullable().default(null),
  /** Store the matched excerpt in the audit record (off by default: no prompt text in audits). */
  recordMatch: z.boolean().default(false),
});
export type GovernanceRule = z.infer<typeof governanceRuleSchema>;

export const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** Monotonic; taken from INCR on redisKeys.snapshotVersion. */
  version: z.number().int().positive(),
  compiledAt: z.string(),
  channels: z.record(z.string(), snapshotChannelSchema),
  /** routes[group][model] = priority tiers, highest priority first. */
  routes: z.record(z.string(), z.record(z.string(), z.array(routeTierSchema))),
  prices: z.record(z.string(), snapshotPriceSchema),
  /** Price multiplier per user group (1 when absent). */
  groupMultipliers: z.record(z.string(), z.number().positive()),
  settings: snapshotSettingsSchema,
  governanceRules: z.array(governanceRuleSchema).default([]),
});
/** What a compiler or test seed may write (defaults filled in by parsing). */
export type SnapshotInput = z.input<typeof snapshotSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;

export const DEFAULT_SNAPSHOT_SETTINGS: SnapshotSettings = snapshotSettingsSchema.parse({
  defaultMaxOutputTokens: 4096,
  allowUnpricedModels: false,
  maxRequestBodyBytes: 20 * 1024 * 1024,
});

/** The id that names a channel key in breaker state, per-key disables and logs without revealing it. */
export function channelKeyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
