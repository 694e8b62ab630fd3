// Writes snapshot, token, user and wallet records straight into Redis, the way the control plane publishes them.
// For data-plane tests and the benchmark, which must run without a control plane.
import { createHash, randomBytes } from 'node:crypto';
import {
  API_KEY_PREFIX,
  DEFAULT_SNAPSHOT_SETTINGS,
  redisChannels,
  redisKeys,
  sealSecret,
  SNAPSHOT_SCHEMA_VERSION,
  NO_LIMITS,
  channelKeyId,
  snapshotSchema,
  type ProviderId,
  type Snapshot,
  type SnapshotInput,
  type SnapshotPrice,
  type TokenRecord,
  type UserRecord,
} from '@nebulagate/schema';

/** The subset of an ioredis client the seeder needs (keeps this package free of a Redis client dependency). */
export interface SeedRedis {
  set(key: string, value: string | number): Promise<unknown>;
  incr(key: string): Promise<number>;
  incrby(key: string, increment: number): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  del(...keys: string[]): Promise<number>;
}

export interface SeedChannel {
  id: string;
  baseUrl: string;
  keys: string[];
  models: string[];
  type?: ProviderId;
  modelMapping?: Record<string, string>;
  priority?: number;
  weight?: number;
  groups?: string[];
  /** Any other channel field of the snapshot (limits, overrides, key selection, tags...), passed as is. */
  extra?: Partial<Omit<NonNullable<SnapshotInput['channels'][string]>, 'id' | 'sealedKeys'>>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(36).toString('base64url').replace(/[-_]/g, 'x').slice(0, 48);
}

export function buildSnapshot(options: {
  version: number;
  channels: SeedChannel[];
  prices: Record<string, Partial<SnapshotPrice> & { inputPerMillion: number; outputPerMillion: number }>;
  cryptoSecret: string;
  settings?: Partial<SnapshotInput['settings']>;
  groupMultipliers?: Record<string, number>;
  governanceRules?: SnapshotInput['governanceRules'];
}): Snapshot {
  const channels: SnapshotInput['channels'] = {};
  const routes: Snapshot['routes'] = {};
  for (const channel of options.channels) {
    const groups = channel.groups ?? ['default'];
    const priority = channel.priority ?? 0;
    const weight = channel.weight ?? 1;
    channels[channel.id] = {
      id: channel.id,
      name: channel.id,
      type: channel.type ?? 'openai',
      baseUrl: channel.baseUrl,
      sealedKeys: channel.keys.map((key) => sealSecret(key, options.cryptoSecret)),
      models: channel.models,
      modelMapping: channel.modelMapping ?? {},
      priority,
      weight,
      groups,
      keyIds: channel.keys.map(channelKeyId),
      ...channel.extra,
    };
    for (const group of groups) {
      const byModel = (routes[group] ??= {});
      for (const model of channel.models) {
        const tiers = (byModel[model] ??= []);
        let tier = tiers.find((candidate) => candidate.priority === priority);
        if (!tier) {
          tier = { priority, channels: [] };
          tiers.push(tier);
          tiers.sort((a, b) => b.priority - a.priority);
        }
        tier.channels.push({ channelId: channel.id, weight });
      }
    }
  }
  const prices: Snapshot['prices'] = {};
  for (const [model, price] of Object.entries(options.prices)) {
    prices[model] = {
      inputPerMillion: price.inputPerMillion,
      outputPerMillion: price.outputPerMillion,
      cacheReadPerMillion: price.cacheReadPerMillion ?? null,
      cacheWritePerMillion: price.cacheWritePerMillion ?? null,
      perCall: price.perCall ?? 0,
      defaultMaxOutputTokens: price.defaultMaxOutputTokens ?? null,
    };
  }
  // Parsed like the data plane parses it, so defaults are filled in and a bad seed fails here.
  return snapshotSchema.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    version: options.version,
    compiledAt: new Date().toISOString(),
    channels,
    routes,
    prices,
    groupMultipliers: options.groupMultipliers ?? {},
    settings: { ...DEFAULT_SNAPSHOT_SETTINGS, ...options.settings },
    governanceRules: options.governanceRules ?? [],
  });
}

/** Publishes a snapshot exactly as the control plane does: new version, SET current, PUBLISH version. */
export async function publishSnapshot(redis: SeedRedis, build: (version: number) => Snapshot): Promise<Snapshot> {
  const version = await redis.incr(redisKeys.snapshotVersion);
  const snapshot = build(version);
  await redis.set(redisKeys.snapshotCurrent, JSON.stringify(snapshot));
  await redis.publish(redisChannels.snapshotPublished, String(version));
  return snapshot;
}

/** Creates a user with a wallet and one API key; returns the plaintext key. */
export async function seedUserWithToken(
  redis: SeedRedis,
  options: { userId: string; tokenId: string; walletCredits: number; group?: string; token?: Partial<TokenRecord>; user?: Partial<UserRecord> },
): Promise<{ key: string; keyHash: string; token: TokenRecord; user: UserRecord }> {
  const key = generateApiKey();
  const keyHash = hashApiKey(key);
  const user: UserRecord = { id: options.userId, status: 'active', group: options.group ?? 'default', limits: null, ...options.user };
  const token: TokenRecord = {
    id: options.tokenId,
    userId: options.userId,
    name: options.tokenId,
    status: 'active',
    expiresAt: null,
    models: null,
    ipAllowList: null,
    group: null,
    quotaLimited: false,
    limits: NO_LIMITS,
    ...options.token,
  };
  await redis.set(redisKeys.user(user.id), JSON.stringify(user));
  await redis.set(redisKeys.wallet(user.id), options.walletCredits);
  await redis.set(redisKeys.token(keyHash), JSON.stringify(token));
  return { key, keyHash, token, user };
}

/** Rewrites a token record and tells every data plane to drop its cached copy. */
export async function updateTokenRecord(redis: SeedRedis, keyHash: string, token: TokenRecord): Promise<void> {
  await redis.set(redisKeys.token(keyHash), JSON.stringify(token));
  await redis.publish(redisChannels.invalidate, JSON.stringify({ kind: 'token', id: keyHash }));
}
