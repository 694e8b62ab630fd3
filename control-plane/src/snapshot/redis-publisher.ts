// Publishes what the data plane reads from Redis: the snapshot (debounced), token and user records, wallets.
import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { redisChannels, redisKeys, type InvalidationMessage, type TokenRecord, type UserRecord } from '@nebulagate/schema';
import { ApiToken } from '../modules/token/token.entity';
import { User, UserStatus } from '../modules/user/user.entity';
import { compileSnapshot } from './snapshot.compiler';

const DEBOUNCE_MS = 100;
const BATCH_SIZE = 500;

// Credits the wallet if it exists; if Redis lost it, seeds it from the SQL balance instead (same rule as start-up).
const CREDIT_WALLET_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[2])
return tonumber(ARGV[2])
`;

export function tokenRecordOf(token: ApiToken): TokenRecord {
  return {
    id: token.id,
    userId: token.user.id,
    name: token.name,
    status: token.status,
    expiresAt: token.expiresAt ? token.expiresAt.getTime() : null,
    models: token.models ? [...token.models] : null,
    ipAllowList: null,
    group: null,
  };
}

export function userRecordOf(user: User): UserRecord {
  return { id: user.id, status: user.status === UserStatus.ACTIVE ? 'active' : 'disabled', group: user.group };
}

export class RedisPublisher {
  private debounceTimer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  lastPublishedVersion = 0;

  constructor(
    private readonly redis: Redis,
    private readonly orm: MikroORM,
    private readonly logError: (message: string, error: unknown) => void,
  ) {}

  /** Coalesces bursts of changes into one compile ~100 ms after the last one. */
  scheduleSnapshot(): void {
    if (this.closed) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.publishSnapshot().catch((error: unknown) => this.logError('snapshot publish failed', error));
    }, DEBOUNCE_MS);
  }

  /** Compiles and publishes now; compiles never overlap, so versions are published in order. */
  publishSnapshot(): Promise<void> {
    const run = this.chain.then(async () => {
      const version = await this.redis.incr(redisKeys.snapshotVersion);
      const snapshot = await compileSnapshot(this.orm.em.fork(), version);
      await this.redis.set(redisKeys.snapshotCurrent, JSON.stringify(snapshot));
      await this.redis.publish(redisChannels.snapshotPublished, String(version));
      this.lastPublishedVersion = version;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async publishToken(token: ApiToken): Promise<void> {
    await this.redis.set(redisKeys.token(token.keyHash), JSON.stringify(tokenRecordOf(token)));
    await this.invalidate({ kind: 'token', id: token.keyHash });
  }

  async publishUser(user: User): Promise<void> {
    await this.redis.set(redisKeys.user(user.id), JSON.stringify(userRecordOf(user)));
    await this.redis.setnx(redisKeys.wallet(user.id), user.balance);
    await this.invalidate({ kind: 'user', id: user.id });
  }

  /** Moves the spendable wallet by a booked amount; `balanceAfter` seeds a wallet Redis no longer has. */
  async creditWallet(userId: string, amount: number, balanceAfter: number): Promise<number> {
    const result = await this.redis.eval(CREDIT_WALLET_SCRIPT, 1, redisKeys.wallet(userId), String(amount), String(balanceAfter));
    return Number(result);
  }

  private async invalidate(message: InvalidationMessage): Promise<void> {
    await this.redis.publish(redisChannels.invalidate, JSON.stringify(message));
  }

  /** Refills an empty Redis on start: every user (+ wallet via SETNX), every token, and one snapshot. */
  async publishAll(): Promise<void> {
    const em = this.orm.em.fork();
    for (let offset = 0; ; offset += BATCH_SIZE) {
      const users = await em.find(User, {}, { orderBy: { id: 'asc' }, limit: BATCH_SIZE, offset });
      if (users.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const user of users) {
        pipeline.set(redisKeys.user(user.id), JSON.stringify(userRecordOf(user)));
        pipeline.setnx(redisKeys.wallet(user.id), user.balance);
      }
      await pipeline.exec();
      em.clear();
      if (users.length < BATCH_SIZE) break;
    }
    for (let offset = 0; ; offset += BATCH_SIZE) {
      const tokens = await em.find(ApiToken, {}, { orderBy: { id: 'asc' }, limit: BATCH_SIZE, offset });
      if (tokens.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const token of tokens) pipeline.set(redisKeys.token(token.keyHash), JSON.stringify(tokenRecordOf(token)));
      await pipeline.exec();
      em.clear();
      if (tokens.length < BATCH_SIZE) break;
    }
    await this.publishSnapshot();
  }

  /** Stops debouncing and waits for a compile in flight (and a pending one, so no change is lost on shutdown). */
  async close(): Promise<void> {
    const hadPending = this.debounceTimer !== null;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    this.closed = true;
    if (hadPending) await this.publishSnapshot().catch((error: unknown) => this.logError('final snapshot publish failed', error));
    await this.chain;
  }
}
