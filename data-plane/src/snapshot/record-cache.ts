// Token and user records: in-process LRU in front of Redis, dropped on pub/sub invalidation, cleared when the
// subscriber reconnects (messages may have been missed), with a short TTL as a safety net.
import {
  invalidationMessageSchema,
  redisChannels,
  redisKeys,
  tokenRecordSchema,
  userRecordSchema,
  type TokenRecord,
  type UserRecord,
} from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RelayError } from '../relay/relay-error';

const RECORD_TTL_MS = 30_000;
/** Unknown keys are remembered briefly so a flood of bad keys does not become a flood of Redis reads. */
const MISSING_TTL_MS = 2_000;

type Cached<T> = { record: T | null };

/**
 * At most this many records per cache. Bounded by `maxSize` (each entry sized 1) rather than `max`: lru-cache
 * preallocates every index and TTL array for `max` entries up front, 8.5 MB of idle heap for these two caches.
 */
const RECORD_CACHE_ENTRIES = 100_000;
const RECORD_CACHE_OPTIONS = { maxSize: RECORD_CACHE_ENTRIES, sizeCalculation: () => 1, ttl: RECORD_TTL_MS };

export class RecordCache {
  private readonly tokens = new LRUCache<string, Cached<TokenRecord>>(RECORD_CACHE_OPTIONS);
  private readonly users = new LRUCache<string, Cached<UserRecord>>(RECORD_CACHE_OPTIONS);
  private subscriberReadyBefore = false;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {}

  start(): void {
    this.subscriber.on('message', this.onMessage);
    this.subscriber.on('ready', this.onSubscriberReady);
    if (this.subscriber.status === 'ready') this.subscriberReadyBefore = true;
  }

  stop(): void {
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onSubscriberReady);
  }

  clear(): void {
    this.tokens.clear();
    this.users.clear();
  }

  async token(keyHash: string): Promise<TokenRecord | null> {
    return this.read(this.tokens, keyHash, redisKeys.token(keyHash), (json) => tokenRecordSchema.safeParse(json));
  }

  async user(userId: string): Promise<UserRecord | null> {
    return this.read(this.users, userId, redisKeys.user(userId), (json) => userRecordSchema.safeParse(json));
  }

  private async read<T extends object>(
    cache: LRUCache<string, Cached<T>>,
    id: string,
    key: string,
    parse: (json: unknown) => { success: true; data: T } | { success: false },
  ): Promise<T | null> {
    const hit = cache.get(id);
    if (hit) return hit.record;
    let raw: string | null;
    try {
      raw = await this.redis.get(key);
    } catch {
      throw new RelayError('service_unavailable', 'The gateway cannot verify API keys right now. Please retry shortly.');
    }
    let record: T | null = null;
    if (raw !== null) {
      try {
        const result = parse(JSON.parse(raw));
        record = result.success ? result.data : null;
      } catch {
        record = null;
      }
    }
    cache.set(id, { record }, record ? undefined : { ttl: MISSING_TTL_MS });
    return record;
  }

  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== redisChannels.invalidate) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const result = invalidationMessageSchema.safeParse(parsed);
    if (!result.success) return;
    if (result.data.kind === 'token') this.tokens.delete(result.data.id);
    else this.users.delete(result.data.id);
  };

  private readonly onSubscriberReady = (): void => {
    // Every ready after the first is a reconnect: invalidations may have been missed meanwhile.
    if (this.subscriberReadyBefore) this.clear();
    this.subscriberReadyBefore = true;
  };
}
