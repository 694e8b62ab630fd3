// Per-record Redis entries the control plane writes and the data plane caches: API tokens and users.
// They are not in the snapshot so a million tokens cost nothing at compile time.
import { z } from 'zod';
import { limitsSchema, NO_LIMITS } from './snapshot';

export const tokenRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  status: z.enum(['active', 'revoked', 'disabled']),
  /** Epoch milliseconds, or null for never. */
  expiresAt: z.number().int().nullable(),
  /** Model allow-list; null allows every model. */
  models: z.array(z.string()).nullable(),
  /** Client IP / CIDR allow-list; null allows any address. */
  ipAllowList: z.array(z.string()).nullable(),
  /** Routing group override; null uses the user's group. */
  group: z.string().nullable(),
  /** Spending cap for this key: when true, redisKeys.tokenQuota holds the credits it may still spend. */
  quotaLimited: z.boolean().default(false),
  limits: limitsSchema.default(NO_LIMITS),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;
export type TokenRecordInput = z.input<typeof tokenRecordSchema>;

export const userRecordSchema = z.object({
  id: z.string(),
  status: z.enum(['active', 'disabled']),
  group: z.string(),
  /** The user's own caps; null = the snapshot's group defaults apply. */
  limits: limitsSchema.nullable().default(null),
});
export type UserRecord = z.infer<typeof userRecordSchema>;
export type UserRecordInput = z.input<typeof userRecordSchema>;

/** Message on redisChannels.invalidate: drop the cached record so the next request reads Redis again. */
export const invalidationMessageSchema = z.object({
  kind: z.enum(['token', 'user']),
  /** token: the sha256 hex of the key; user: the user id. */
  id: z.string(),
});
export type InvalidationMessage = z.infer<typeof invalidationMessageSchema>;

/** API keys look like `sk-ng-<48 base62 chars>`; the record is found by sha256(key) in hex. */
export const API_KEY_PREFIX = 'sk-ng-';
