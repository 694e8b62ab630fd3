// The usage stream forwarder: what the settle script recorded reaches the usage queue with the charge it actually
// made, leaves the stream, survives a worker that died holding entries, and never loses an entry it cannot read.
import { Queue, type Job } from 'bullmq';
import { QUEUES, redisKeys, USAGE_STREAM_GROUP, usageJobId } from '@nebulagate/schema';
import { startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { WalletService } from '../../data-plane/src/billing/wallet.service';
import { ensureUsageStreamGroup, startUsageStreamForwarder, type UsageStreamForwarderHandle } from '../src/jobs/usage-stream-forwarder';
import { usageEvent } from './money-fixture';

let redisServer: RedisServerHandle;
let redis: Redis;
let queue: Queue;
const logged: string[] = [];
const forwarders: UsageStreamForwarderHandle[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  queue = new Queue(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
});
afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.close()));
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await redisServer.stop();
});

async function waitFor<T>(read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function start(timing = { claimIdleMs: 60_000, claimEveryMs: 15_000 }): Promise<UsageStreamForwarderHandle> {
  const forwarder = await startUsageStreamForwarder(redisServer.url, (message) => logged.push(message), timing);
  forwarders.push(forwarder);
  return forwarder;
}

const job = (requestId: string): Promise<Job | undefined> => queue.getJob(usageJobId(requestId));

test('a settled request becomes one usage job carrying what the settle charged, and leaves the stream', async () => {
  await start();
  const wallet = new WalletService(redis);
  await redis.set(redisKeys.wallet('user-forward'), 1_000);
  await redis.set(redisKeys.planAllowance('user-forward'), 30);
  await redis.sadd(redisKeys.planScope('user-forward'), 'm:*', 'g:*', 'x:active');
  const requestId = `forward-${Date.now()}`;
  await wallet.reserve({ requestId, userId: 'user-forward', tokenId: 'token-forward', amount: 200, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  await wallet.settle(requestId, 'user-forward', 'token-forward', 120, JSON.stringify(usageEvent(requestId, 'user-forward', 'token-forward', 0, 0, 200)));

  const forwarded = await waitFor(() => job(requestId));
  // 30 from the plan, 90 from the wallet: the event written with cost 0 now says what left Redis.
  expect(forwarded.data).toMatchObject({ requestId, cost: 120, planCost: 30, reserved: 200 });
  await waitFor(async () => ((await redis.xlen(redisKeys.usageStream)) === 0 ? true : null));
  const [pending] = (await redis.xpending(redisKeys.usageStream, USAGE_STREAM_GROUP)) as [number];
  expect(pending).toBe(0);
});

test('an overshoot no balance covered is tagged on the job', async () => {
  await start();
  const wallet = new WalletService(redis);
  await redis.set(redisKeys.wallet('user-overshoot'), 150);
  const requestId = `overshoot-${Date.now()}`;
  await wallet.reserve({ requestId, userId: 'user-overshoot', tokenId: 'token-overshoot', amount: 100, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  await wallet.settle(requestId, 'user-overshoot', 'token-overshoot', 300, JSON.stringify(usageEvent(requestId, 'user-overshoot', 'token-overshoot', 0, 0, 100)));
  const forwarded = await waitFor(() => job(requestId));
  expect(forwarded.data).toMatchObject({ cost: 150, planCost: 0, tags: ['billing:overshoot-uncovered'] });
});

test('entries a dead worker read and never acknowledged are taken over and forwarded', async () => {
  await ensureUsageStreamGroup(redis);
  const requestId = `orphan-${Date.now()}`;
  await redis.xadd(redisKeys.usageStream, '*', 'e', JSON.stringify(usageEvent(requestId, 'user-orphan', 'token-orphan', 40, 0, 50)));
  // Another worker reads the entry, then dies before forwarding it.
  await redis.xreadgroup('GROUP', USAGE_STREAM_GROUP, 'dead-worker', 'COUNT', 10, 'STREAMS', redisKeys.usageStream, '>');
  await start({ claimIdleMs: 300, claimEveryMs: 200 });
  const forwarded = await waitFor(() => job(requestId));
  expect(forwarded.data).toMatchObject({ requestId, cost: 40 });
  await waitFor(async () => ((await redis.xlen(redisKeys.usageStream)) === 0 ? true : null));
});

test('an entry that cannot be read still becomes a job (it fails visibly instead of vanishing)', async () => {
  await start();
  const id = await redis.xadd(redisKeys.usageStream, '*', 'e', '{not json');
  const jobId = `usage-unreadable-${id}`;
  const forwarded = await waitFor(() => queue.getJob(jobId));
  expect(forwarded.data).toEqual({ unreadable: '{not json' });
});

test('a job added twice for one request stays one job', async () => {
  await start();
  const requestId = `twice-${Date.now()}`;
  const line = JSON.stringify(usageEvent(requestId, 'user-twice', 'token-twice', 5, 0, 5));
  await redis.xadd(redisKeys.usageStream, '*', 'e', line);
  await redis.xadd(redisKeys.usageStream, '*', 'e', line);
  await waitFor(async () => ((await redis.xlen(redisKeys.usageStream)) === 0 ? true : null));
  const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
  expect(jobs.filter((candidate) => candidate.data?.requestId === requestId)).toHaveLength(1);
});
