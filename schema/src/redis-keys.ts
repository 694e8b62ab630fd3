// Every Redis key and pub/sub channel, in one place. All keys live under the `ng:` prefix.
const PREFIX = 'ng';

export const redisKeys = {
  /** JSON of the newest snapshot. */
  snapshotCurrent: `${PREFIX}:snapshot:current`,
  /** INCR counter that hands out snapshot versions. */
  snapshotVersion: `${PREFIX}:snapshot:version`,
  /** JSON TokenRecord, by sha256 hex of the API key. */
  token: (keyHash: string) => `${PREFIX}:token:${keyHash}`,
  /** JSON UserRecord. */
  user: (userId: string) => `${PREFIX}:user:${userId}`,
  /** Integer credits the user may still spend (SQL balance minus usage not yet billed by the worker). */
  wallet: (userId: string) => `${PREFIX}:wallet:${userId}`,
  /** Hash {userId, amount, expiresAt} of one open reservation. */
  reservation: (requestId: string) => `${PREFIX}:reservation:${requestId}`,
  /** Sorted set of open reservation ids scored by expiry (epoch ms), for the sweeper. */
  reservationsByExpiry: `${PREFIX}:reservations:by-expiry`,
  /** Marker that the Redis wallet already received ledger entry <id>: credits after a commit are applied exactly once. */
  walletCredit: (ledgerEntryId: string) => `${PREFIX}:wallet-credit:${ledgerEntryId}`,
  /**
   * Stream of usage events not yet handed to the usage queue. The settle script appends each request's event in the
   * same atomic step that moves its money; the workers' forwarder moves entries to BullMQ and deletes them.
   */
  usageStream: `${PREFIX}:usage:stream`,
  /** Marker that a request a data plane served while Redis was down has been charged (the late charge runs once). */
  offlineCharge: (requestId: string) => `${PREFIX}:offline-charge:${requestId}`,
  /** Integer credits a quota-limited token may still spend. */
  tokenQuota: (tokenId: string) => `${PREFIX}:token-quota:${tokenId}`,
  /** Integer credits left in the user's current plan period (spent before the wallet). */
  planAllowance: (userId: string) => `${PREFIX}:plan-allowance:${userId}`,
  /** Set of the user's plan scope: `m:<model>` / `m:*` and `g:<group>` / `g:*`; absent = no plan spend. */
  planScope: (userId: string) => `${PREFIX}:plan-scope:${userId}`,
  /** Marker that one plan-period reset was applied to Redis (makes the Redis half of a reset idempotent). */
  planResetApplied: (userId: string, periodKey: string) => `${PREFIX}:plan-reset-applied:${userId}:${periodKey}`,
  /** Circuit breaker state of one channel, or of one key of a channel (keyId = channelKeyId(key)). */
  breaker: (channelId: string, keyId?: string) => `${PREFIX}:breaker:${channelId}${keyId ? `:${keyId}` : ''}`,
  /** Set of keyIds of a channel that the data plane disabled (upstream said: invalid key / no credit). */
  disabledKeys: (channelId: string) => `${PREFIX}:disabled-keys:${channelId}`,
  /** Rate-limit / concurrency counters; scope e.g. `token:<id>`, `user:<id>`, `ip:<addr>`, `channel:<id>`. */
  limit: (scope: string, kind: 'rpm' | 'tpm' | 'concurrency') => `${PREFIX}:limit:${kind}:${scope}`,
  /** Global retry budget counters (first attempts vs retries) in the current window. */
  retryBudget: `${PREFIX}:retry-budget`,
  /** Session affinity: conversation id -> `channelId` (+ key) that served it. */
  affinity: (sessionHash: string) => `${PREFIX}:affinity:${sessionHash}`,
} as const;

export const redisChannels = {
  /** Payload: the new snapshot version as a decimal string. */
  snapshotPublished: `${PREFIX}:snapshot:published`,
  /** Payload: JSON InvalidationMessage. */
  invalidate: `${PREFIX}:invalidate`,
} as const;
