// The compiled routing + pricing snapshot: written by the control plane, read (and kept in memory) by the data plane.
// Immutable and versioned; a data plane swaps to a newer version atomically.
import { z } from 'zod';
import { PROVIDER_IDS } from './provider-ids';

export const SNAPSHOT_SCHEMA_VERSION = 1;

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

export const snapshotSettingsSchema = z.object({
  /** Output-token cap assumed for reservations when neither the request nor the model price sets one. */
  defaultMaxOutputTokens: z.number().int().positive(),
  /** A model with no price row: refuse it (false) or serve it for free (true). */
  allowUnpricedModels: z.boolean(),
  /** Largest accepted request body, after decompression. */
  maxRequestBodyBytes: z.number().int().positive(),
});
export type SnapshotSettings = z.infer<typeof snapshotSettingsSchema>;

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
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const DEFAULT_SNAPSHOT_SETTINGS: SnapshotSettings = {
  defaultMaxOutputTokens: 4096,
  allowUnpricedModels: false,
  maxRequestBodyBytes: 20 * 1024 * 1024,
};
