// A settle whose reply is lost (command timeout) but which ran: the charged event from the script must be the only
// one for that request. Settlement spools the settle to run again, and the script writes nothing on a second run, so
// no cost-0 copy can reach the queue first and SQL books exactly what Redis took (before the fix, a cost-0 fallback
// event raced the charged one and could win the job id).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { QUEUES, redisKeys, USAGE_STREAM_GROUP, usageJobId } from '@nebulagate/schema';
import { startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { SETTLE_SCRIPT, WalletService } from '../../data-plane/src/billing/wallet.service';
import { UsageEmitter } from '../../data-plane/src/billing/usage-emitter';
import { Settlement } from '../../data-plane/src/billing/settlement';
import { Metrics } from '../../data-plane/src/observability/metrics';
import { ensureUsageStreamGroup, startUsageStreamForwarder, type UsageStreamForwarderHandle } from '../src/jobs/usage-stream-forwarder';

let redisServer: RedisServerHandle;
let redis: Redis;
let queue: Queue;
let directory: string;
const forwarders: UsageStreamForwarderHandle[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  queue = new Queue(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  directory = mkdtempSync(join(tmpdir(), 'ng-review-'));
});
afterAll(async () => {
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.close()));
  await queue.close();
  redis.disconnect();
  await redisServer.stop();
  rmSync(directory, { recursive: true, force: true });
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

/** Keeps Redis busy for `ms` (a Lua busy loop on another connection), as an fsync stall or a fork would. */
function stallRedis(ms: number): Promise<unknown> {
  const blocker = new Redis(redisServer.url);
  const script = `local s = redis.call('TIME') local start = s[1] * 1000000 + s[2]
    while true do local t = redis.call('TIME') if t[1] * 1000000 + t[2] - start > ${ms * 1000} then break end end return 1`;
  return blocker.eval(script, 0).finally(() => blocker.disconnect());
}

test('a settle that timed out but ran leaves one charged event; running it again from the spool adds nothing', async () => {
  // The data plane's command connection: short command timeout (1 s there, 100 ms here to keep the test short).
  const dataPlaneRedis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, commandTimeout: 100, enableOfflineQueue: false });
  await waitFor(async () => (dataPlaneRedis.status === 'ready' ? true : null));
  const wallet = new WalletService(dataPlaneRedis);
  const metrics = new Metrics();
  const emitter = new UsageEmitter(dataPlaneRedis, join(directory, 'spool.jsonl'), metrics, wallet);
  await ensureUsageStreamGroup(redis);
  // As on any running node, the settle script is already cached by Redis.
  await redis.script('LOAD', SETTLE_SCRIPT);
  const userId = 'user-lost-reply';
  await redis.set(redisKeys.wallet(userId), 1_000_000);
  const requestId = `lost-reply-${Date.now()}`;
  const reserved = 100_000;
  await wallet.reserve({ requestId, userId, tokenId: 'token-1', amount: reserved, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });

  const settlement = new Settlement(
    {
      requestId, userId, tokenId: 'token-1', model: 'gpt-4o-mini', endpoint: '/v1/chat/completions', stream: false, reserved,
      price: { inputPerMillion: 2_000_000, outputPerMillion: 8_000_000, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null },
      multiplier: 1, snapshotVersion: 1, startedAt: Date.now(), clientIp: null,
    },
    { wallet, emitter },
  );
  const stall = stallRedis(400);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await settlement.finish({ status: 'success', httpStatus: 200, usage: { promptTokens: 1000, completionTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0 }, estimated: false, void: false, errorCode: null });
  await stall;
  const cost = 1000 * 2 + 1000 * 8; // 10 000 credits

  // Redis took the money: the settle ran after all.
  await waitFor(async () => (Number(await redis.get(redisKeys.wallet(userId))) === 1_000_000 - cost ? true : null));
  const entries = (await redis.xrange(redisKeys.usageStream, '-', '+')) as Array<[string, string[]]>;
  const forRequest = entries.filter(([, fields]) => fields[1]?.includes(requestId));
  // One event for the request: the charged one from the script.
  expect(forRequest).toHaveLength(1);
  // The settle went to the spool to be run again; that run finds nothing open and writes nothing.
  await emitter.replaySpool();
  expect(Number(await redis.get(redisKeys.wallet(userId)))).toBe(1_000_000 - cost);
  const after = (await redis.xrange(redisKeys.usageStream, '-', '+')) as Array<[string, string[]]>;
  expect(after.filter(([, fields]) => fields[1]?.includes(requestId))).toHaveLength(1);

  // A worker reads the entry and dies before forwarding it; a live worker takes it over.
  await redis.xreadgroup('GROUP', USAGE_STREAM_GROUP, 'dead-worker', 'COUNT', 1, 'STREAMS', redisKeys.usageStream, '>');
  const forwarder = await startUsageStreamForwarder(redisServer.url, () => undefined, { claimIdleMs: 1_000, claimEveryMs: 200 });
  forwarders.push(forwarder);
  await waitFor(async () => ((await redis.xlen(redisKeys.usageStream)) === 0 ? true : null));
  const job = (await queue.getJob(usageJobId(requestId))) as Job;
  // What SQL will book for this request must be what Redis took.
  expect(job.data.cost).toBe(cost);
  dataPlaneRedis.disconnect();
  await emitter.stop();
});
