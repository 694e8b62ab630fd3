// The wallet sends the reserves and settles of one event-loop turn as one command. Every operation must still settle
// whatever happens to the connection meanwhile: the socket lost before or after the batch left, a reconnect, or
// operations issued after this turn's batch went out.
import { redisKeys } from '@nebulagate/schema';
import { startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import type { Socket } from 'node:net';
import { WalletService } from '../src/billing/wallet.service';

let redisServer: RedisServerHandle;

beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(async () => {
  await redisServer.stop();
});

const request = (requestId: string) => ({ requestId, userId: 'user-batch', tokenId: 'token-batch', amount: 10, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });

test('operations in one turn all complete; a socket lost mid-turn leaves nothing hanging and the next batch is not stuck', async () => {
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  await new Promise((resolve) => redis.once('ready', resolve));
  await redis.set(redisKeys.wallet('user-batch'), 1_000_000);
  const wallet = new WalletService(redis);
  // Many in one turn: one command.
  const batch = await Promise.allSettled(Array.from({ length: 50 }, (_, index) => wallet.reserve(request(`batch-a-${index}`))));
  expect(batch.every((result) => result.status === 'fulfilled')).toBe(true);

  // Queued, then the socket dies in the same turn: every operation settles quickly (none hangs until a timeout).
  const started = Date.now();
  const pending = Array.from({ length: 5 }, (_, index) => wallet.reserve(request(`batch-b-${index}`)));
  (redis as unknown as { stream: Socket }).stream.destroy();
  const outcomes = await Promise.allSettled(pending);
  expect(Date.now() - started).toBeLessThan(900);
  // ioredis resends what had not been answered on the new socket (or fails it): either way the money matches.
  const served = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  // Back once a command goes through again (the lost socket's close may not have been seen yet right after destroy).
  while ((await redis.ping().catch(() => null)) !== 'PONG') await new Promise((resolve) => setTimeout(resolve, 20));
  expect(Number(await redis.get(redisKeys.wallet('user-batch')))).toBe(1_000_000 - 10 * (50 + served));

  // After the reconnect the next batch goes out.
  const after = await Promise.race([wallet.reserve(request('batch-c')), new Promise((resolve) => setTimeout(() => resolve('stuck'), 900))]);
  expect(after).toEqual({ fromPlan: 0, fromWallet: 10 });
  // And from inside a setImmediate callback (after this turn's batch was sent).
  const fromImmediate = await new Promise((resolve, reject) => setImmediate(() => wallet.reserve(request('batch-d')).then(resolve, reject)));
  expect(fromImmediate).toEqual({ fromPlan: 0, fromWallet: 10 });
  redis.disconnect();
});

test('fields travel byte-exact through the batch: colons, non-ASCII and empty values', async () => {
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  await redis.set(redisKeys.wallet('user-bytes'), 1_000);
  const wallet = new WalletService(redis);
  const model = 'модель:中文:x';
  const requestId = `bytes-${Date.now()}`;
  await wallet.reserve({ requestId, userId: 'user-bytes', tokenId: 'token-bytes', amount: 100, model, group: '', quotaLimited: false });
  expect(await redis.hget(redisKeys.reservation(requestId), 'model')).toBe(model);
  const event = JSON.stringify({ requestId, note: 'ünïcödé: 你好 "quoted" \\ back' });
  await wallet.settle(requestId, 'user-bytes', 'token-bytes', 40, event);
  const entries = (await redis.xrange(redisKeys.usageStream, '-', '+')) as Array<[string, string[]]>;
  const fields = entries.map(([, values]) => values).find((values) => values[1]?.includes(requestId));
  expect(fields?.[1]).toBe(event);
  expect(Number(await redis.get(redisKeys.wallet('user-bytes')))).toBe(960);
  redis.disconnect();
});
