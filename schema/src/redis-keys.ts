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
} as const;

export const redisChannels = {
  /** Payload: the new snapshot version as a decimal string. */
  snapshotPublished: `${PREFIX}:snapshot:published`,
  /** Payload: JSON InvalidationMessage. */
  invalidate: `${PREFIX}:invalidate`,
} as const;
