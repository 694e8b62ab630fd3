// Publishes what the data plane reads from Redis: the snapshot (debounced), token and user records, wallets.
import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { NO_LIMITS, redisChannels, redisKeys, type InvalidationMessage, type TokenRecord, type UserRecord } from '@nebulagate/schema';
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

// KEYS: wallet, marker. ARGV: amount, seed balance, marker lifetime (s). Applies one booked credit exactly once, so a
// caller may retry it after a failure (a replayed webhook, an idempotent adjustment) without double-crediting.
const CREDIT_WALLET_ONCE_SCRIPT = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) == false then return {0, tonumber(redis.call('GET', KEYS[1]) or '0')} end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, tonumber(ARGV[2])}
`;
/** Longer than any retry schedule of a payment provider (Stripe retries for 3 days). */
const CREDIT_MARKER_SECONDS = 30 * 24 * 3600;

export function tokenRecordOf(token: ApiToken): TokenRecord {
  return {
    id: token.id,
    userId: token.user.id,
    name: token.name,
    status: token.status,
    expiresAt: token.expiresAt ? token.expiresAt.getTime() : null,
    models: token.models ? [...token.models] : null,
    ipAllowList: token.ipAllowList ? [...token.ipAllowList] : null,
    group: token.group,
    quotaLimited: !token.unlimitedQuota,
    limits: { ...NO_LIMITS, ...token.limits },
  };
}

export function userRecordOf(user: User): UserRecord {
  return { id: user.id, status: user.status === UserStatus.ACTIVE ? 'active' : 'disabled', group: user.group, limits: user.limits };
}

export class RedisPublisher {
  private debounceTimer: NodeJS.Timeout | null = null;
  /** The publish that will include every change scheduled so far; shared by all callers in one debounce window. */
  private pendingPublish: { promise: Promise<void>; resolve: () => void } | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  lastPublishedVersion = 0;

  constructor(
    private readonly redis: Redis,
    private readonly orm: MikroORM,
    private readonly logError: (message: string, error: unknown) => void,
  ) {}

  /**
   * Coalesces bursts of changes into one compile ~100 ms after the last one. Resolves once a snapshot with the change
   * is in Redis, so a mutation that awaits it returns only when every data plane can pick the change up. Never
   * rejects: the change is already saved, a failed publish is logged and the next change or restart publishes it.
   */
  scheduleSnapshot(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (!this.pendingPublish) {
      let resolve!: () => void;
      const promise = new Promise<void>((onResolve) => {
        resolve = onResolve;
      });
      this.pendingPublish = { promise, resolve };
    }
    const pending = this.pendingPublish;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.pendingPublish = null;
      this.publishSnapshot().then(pending.resolve, (error: unknown) => {
        this.logError('snapshot publish failed', error);
        pending.resolve();
      });
    }, DEBOUNCE_MS);
    return pending.promise;
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
    // Quota first: a record that says quotaLimited must never be read before its remaining quota exists.
    if (!token.unlimitedQuota) await this.redis.setnx(redisKeys.tokenQuota(token.id), Math.max(0, token.quota - token.quotaUsed));
    await this.redis.set(redisKeys.token(token.keyHash), JSON.stringify(tokenRecordOf(token)));
    await this.invalidate({ kind: 'token', id: token.keyHash });
  }

  async publishUser(user: User): Promise<void> {
    await this.redis.set(redisKeys.user(user.id), JSON.stringify(userRecordOf(user)));
    await this.redis.setnx(redisKeys.wallet(user.id), user.balance);
    await this.invalidate({ kind: 'user', id: user.id });
  }

  /** Moves a key's remaining quota by `delta` (a changed cap); `seed` is used when Redis no longer has it. */
  async adjustTokenQuota(tokenId: string, delta: number, seed: number, replace = false): Promise<number> {
    // replace: the key just became quota-limited, so whatever an earlier limited spell left in Redis is stale.
    if (replace) await this.redis.del(redisKeys.tokenQuota(tokenId));
    const result = await this.redis.eval(CREDIT_WALLET_SCRIPT, 1, redisKeys.tokenQuota(tokenId), String(delta), String(seed));
    return Number(result);
  }

  /** Moves the spendable wallet by a booked amount; `balanceAfter` seeds a wallet Redis no longer has. */
  async creditWallet(userId: string, amount: number, balanceAfter: number): Promise<number> {
    const result = await this.redis.eval(CREDIT_WALLET_SCRIPT, 1, redisKeys.wallet(userId), String(amount), String(balanceAfter));
    return Number(result);
  }

  /**
   * Moves the spendable wallet by a booked ledger entry, at most once per entry: safe to call again when an earlier
   * attempt may have failed after the SQL commit. Returns whether this call applied it.
   */
  async creditWalletOnce(entry: { id: string; userId: string; amount: number; balanceAfter: number }): Promise<boolean> {
    const result = (await this.redis.eval(
      CREDIT_WALLET_ONCE_SCRIPT, 2, redisKeys.wallet(entry.userId), redisKeys.walletCredit(entry.id), String(entry.amount), String(entry.balanceAfter), String(CREDIT_MARKER_SECONDS),
    )) as [number, number];
    return result[0] === 1;
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
      for (const token of tokens) {
        if (!token.unlimitedQuota) pipeline.setnx(redisKeys.tokenQuota(token.id), Math.max(0, token.quota - token.quotaUsed));
        pipeline.set(redisKeys.token(token.keyHash), JSON.stringify(tokenRecordOf(token)));
      }
      await pipeline.exec();
      em.clear();
      if (tokens.length < BATCH_SIZE) break;
    }
    await this.publishSnapshot();
  }

  /** Stops debouncing and waits for a compile in flight (and a pending one, so no change is lost on shutdown). */
  async close(): Promise<void> {
    const pending = this.pendingPublish;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    this.pendingPublish = null;
    this.closed = true;
    if (pending) {
      await this.publishSnapshot().then(pending.resolve, (error: unknown) => {
        this.logError('final snapshot publish failed', error);
        pending.resolve();
      });
    }
    await this.chain;
  }
}
