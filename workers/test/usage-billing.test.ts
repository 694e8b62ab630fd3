import { Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { createTestDatabase, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { JOBS, QUEUES, usageJobId, type UsageEventInput } from '@nebulagate/schema';
import { hashPassword, LedgerEntry, openDatabase, UsageLog, User, type Database } from '@nebulagate/control-plane';
import { billUsage, startWorkers, type WorkersHandle } from '../src';

let redisServer: RedisServerHandle;
let testDatabase: TestDatabase;
let database: Database;
let workers: WorkersHandle;
let queue: Queue;
let queueEvents: QueueEvents;

function usageEvent(requestId: string, userId: string, cost: number): UsageEventInput {
  return {
    requestId, userId, tokenId: 'token-1', channelId: 'channel-1', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', endpoint: '/v1/chat/completions',
    stream: false, status: 'success', httpStatus: 200, promptTokens: 100, completionTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0,
    estimated: false, cost, reserved: cost * 2, snapshotVersion: 1, startedAt: Date.now(), durationMs: 120, firstByteMs: 80, clientIp: '127.0.0.1', errorCode: null,
  };
}

async function createUser(username: string, balance: number): Promise<string> {
  const em = database.orm.em.fork();
  const user = em.create(User, { username, passwordHash: await hashPassword('password-123'), balance });
  await em.flush();
  return user.id;
}

async function ledgerFor(requestId: string) {
  const em = database.orm.em.fork();
  return {
    logs: await em.find(UsageLog, { requestId }),
    entries: await em.find(LedgerEntry, { idempotencyKey: `${requestId}:usage` }),
  };
}

async function balanceOf(userId: string): Promise<number> {
  return (await database.orm.em.fork().findOneOrFail(User, { id: userId })).balance;
}

beforeAll(async () => {
  redisServer = await startRedisServer();
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
  workers = await startWorkers({ databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: 4 });
  queue = new Queue(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  queueEvents = new QueueEvents(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  await queueEvents.waitUntilReady();
});

afterAll(async () => {
  await queueEvents.close();
  await queue.close();
  await workers.close();
  await database.close();
  await redisServer.stop();
  await testDatabase.drop();
});

describe('usage billing worker', () => {
  it('posts the usage log, one ledger entry and the balance move for a queued usage event', async () => {
    const userId = await createUser('alice', 10_000);
    const event = usageEvent('req-queue-1', userId, 1_234);
    const job = await queue.add(JOBS.billUsage, event, { jobId: usageJobId(event.requestId), attempts: 3 });
    const result: unknown = await job.waitUntilFinished(queueEvents, 20_000);
    expect(result).toEqual({ outcome: 'billed', requestId: 'req-queue-1', cost: 1_234, balanceAfter: 10_000 - 1_234 });

    const { logs, entries } = await ledgerFor('req-queue-1');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ userId, model: 'gpt-4o-mini', promptTokens: 100, completionTokens: 50, cost: 1_234, status: 'success' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ userId, kind: 'usage', amount: -1_234, balanceAfter: 10_000 - 1_234 });
    expect(await balanceOf(userId)).toBe(10_000 - 1_234);
  });

  it('posts once when the same job runs twice', async () => {
    const userId = await createUser('bob', 5_000);
    const event = usageEvent('req-twice-1', userId, 700);
    expect(await billUsage(event, { orm: database.orm })).toMatchObject({ outcome: 'billed' });
    expect(await billUsage(event, { orm: database.orm })).toEqual({ outcome: 'already-billed', requestId: 'req-twice-1' });
    const { logs, entries } = await ledgerFor('req-twice-1');
    expect(logs).toHaveLength(1);
    expect(entries).toHaveLength(1);
    expect(await balanceOf(userId)).toBe(4_300);
  });

  it('posts once when two runs of the same job race', async () => {
    const userId = await createUser('carol', 5_000);
    const event = usageEvent('req-race-1', userId, 900);
    const outcomes = await Promise.all([billUsage(event, { orm: database.orm }), billUsage(event, { orm: database.orm }), billUsage(event, { orm: database.orm })]);
    expect(outcomes.filter((outcome) => outcome.outcome === 'billed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.outcome === 'already-billed')).toHaveLength(2);
    const { logs, entries } = await ledgerFor('req-race-1');
    expect(logs).toHaveLength(1);
    expect(entries).toHaveLength(1);
    expect(await balanceOf(userId)).toBe(4_100);
  });

  it('lets usage overdraw the SQL balance (the data plane already spent it from Redis)', async () => {
    const userId = await createUser('dave', 100);
    await billUsage(usageEvent('req-overdraw-1', userId, 250), { orm: database.orm });
    expect(await balanceOf(userId)).toBe(-150);
  });

  it('records a zero-cost request without a ledger posting', async () => {
    const userId = await createUser('erin', 100);
    await billUsage({ ...usageEvent('req-free-1', userId, 0), status: 'error', httpStatus: 502, errorCode: 'upstream_error' }, { orm: database.orm });
    const { logs, entries } = await ledgerFor('req-free-1');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'error', httpStatus: 502, errorCode: 'upstream_error', cost: 0 });
    expect(entries).toHaveLength(0);
    expect(await balanceOf(userId)).toBe(100);
  });

  it('fails an invalid payload permanently (no retries)', async () => {
    await expect(billUsage({ requestId: 'bad:id', cost: -5 }, { orm: database.orm })).rejects.toBeInstanceOf(UnrecoverableError);
    const job = await queue.add(JOBS.billUsage, { requestId: 'req-invalid-1', cost: 'a lot' }, { jobId: 'usage-req-invalid-1', attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    await expect(job.waitUntilFinished(queueEvents, 20_000)).rejects.toThrow(/invalid usage event/);
    const failed = await queue.getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
    const { logs } = await ledgerFor('req-invalid-1');
    expect(logs).toHaveLength(0);
  });

  it('fails an event for an unknown user permanently and writes nothing', async () => {
    await expect(billUsage(usageEvent('req-ghost-1', 'no-such-user', 10), { orm: database.orm })).rejects.toBeInstanceOf(UnrecoverableError);
    const { logs, entries } = await ledgerFor('req-ghost-1');
    expect(logs).toHaveLength(0);
    expect(entries).toHaveLength(0);
  });
});
