// Shared set-up for the money worker tests: a private Redis and database, users seeded the way the control plane
// publishes them (SQL balance + Redis wallet), the real reserve/settle scripts, and a movable clock.
import { hashPassword, openDatabase, PlanRedis, PlanService, User, type Database } from '@nebulagate/control-plane';
import { redisKeys, type UsageEventInput } from '@nebulagate/schema';
import { createTestDatabase, newestUsageStreamEvent, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { WalletService } from '../../data-plane/src/billing/wallet.service';
import { billUsage, reconcileMoney, type ReconcileResult } from '../src';

export interface MoneyFixture {
  redisServer: RedisServerHandle;
  redis: Redis;
  testDatabase: TestDatabase;
  database: Database;
  wallet: WalletService;
  planRedis: PlanRedis;
  clock: { now: Date };
  plans: PlanService;
  close(): Promise<void>;
}

export const SYSTEM_ACTOR = { user: null, ip: null };

export async function startMoneyFixture(): Promise<MoneyFixture> {
  const [redisServer, testDatabase] = await Promise.all([startRedisServer(), createTestDatabase()]);
  const database = await openDatabase(testDatabase.url);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
  const planRedis = new PlanRedis(redis);
  const clock = { now: new Date('2026-11-20T12:00:00Z') };
  return {
    redisServer, redis, testDatabase, database, planRedis, clock,
    wallet: new WalletService(redis),
    plans: new PlanService(planRedis, () => clock.now),
    async close() {
      redis.disconnect();
      await database.close();
      await redisServer.stop();
      await testDatabase.drop();
    },
  };
}

let userCounter = 0;
/** A user with `balance` in SQL and the same spendable amount in the Redis wallet. */
export async function createUser(fixture: MoneyFixture, balance: number): Promise<string> {
  userCounter += 1;
  const em = fixture.database.orm.em.fork();
  const user = em.create(User, { username: `money-${userCounter}-${Date.now()}`, passwordHash: await hashPassword('password-123'), balance });
  await em.flush();
  await fixture.redis.set(redisKeys.wallet(user.id), balance);
  return user.id;
}

export async function sqlBalance(fixture: MoneyFixture, userId: string): Promise<number> {
  return (await fixture.database.orm.em.fork().findOneOrFail(User, { id: userId })).balance;
}

export async function redisNumber(fixture: MoneyFixture, key: string): Promise<number | null> {
  const value = await fixture.redis.get(key);
  return value === null ? null : Number(value);
}

export function usageEvent(requestId: string, userId: string, tokenId: string, cost: number, planCost: number, reserved: number): UsageEventInput {
  return {
    requestId, userId, tokenId, channelId: 'channel-1', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', endpoint: '/v1/chat/completions',
    stream: false, status: 'success', httpStatus: 200, promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0,
    estimated: false, cost, reserved, snapshotVersion: 1, startedAt: Date.now(), durationMs: 10, firstByteMs: 5, clientIp: null, errorCode: null, planCost,
  };
}

/** What one data-plane request does with money: reserve, settle, then the worker bills the event. */
export async function spend(fixture: MoneyFixture, userId: string, requestId: string, reserve: number, actual: number, tokenId = 'token-none'): Promise<void> {
  await fixture.wallet.reserve({ requestId, userId, tokenId, amount: reserve, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  await fixture.wallet.settle(requestId, userId, tokenId, actual, JSON.stringify(usageEvent(requestId, userId, tokenId, 0, 0, reserve)));
  // Bills what the settle script recorded (its charge merged into the event), as the forwarder would hand it on.
  await billUsage(await newestUsageStreamEvent(fixture.redis), { orm: fixture.database.orm });
}

export function reconcile(fixture: MoneyFixture, pending = 0): Promise<ReconcileResult> {
  return reconcileMoney({ orm: fixture.database.orm, redis: fixture.redis, pendingUsageJobs: async () => pending, log: () => undefined });
}
