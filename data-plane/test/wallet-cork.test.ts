// The wallet corks the command socket for one event-loop turn. Commands must all leave (or fail) whatever
// happens to the socket meanwhile: destroyed while corked, replaced by a reconnect, or commands issued after the
// uncork fired.
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

const request = (requestId: string) => ({ requestId, userId: 'user-cork', tokenId: 'token-cork', amount: 10, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });

test('commands in one turn all leave; a socket destroyed while corked leaves nothing hanging and the next socket is not stuck', async () => {
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  await new Promise((resolve) => redis.once('ready', resolve));
  await redis.set(redisKeys.wallet('user-cork'), 1_000_000);
  const wallet = new WalletService(redis);
  // Many in one turn: one write.
  const batch = await Promise.allSettled(Array.from({ length: 50 }, (_, index) => wallet.reserve(request(`cork-a-${index}`))));
  expect(batch.every((result) => result.status === 'fulfilled')).toBe(true);

  // Corked, then the socket dies in the same turn: every command settles quickly (none hangs until a timeout).
  const started = Date.now();
  const pending = Array.from({ length: 5 }, (_, index) => wallet.reserve(request(`cork-b-${index}`)));
  (redis as unknown as { stream: Socket }).stream.destroy();
  const outcomes = await Promise.allSettled(pending);
  expect(Date.now() - started).toBeLessThan(900);
  // ioredis resends what had not been answered on the new socket (or fails it): either way the money matches.
  const served = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  expect(Number(await redis.get(redisKeys.wallet('user-cork')))).toBe(1_000_000 - 10 * (50 + served));

  // After the reconnect the new socket is not left corked.
  while (redis.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
  const after = await Promise.race([wallet.reserve(request('cork-c')), new Promise((resolve) => setTimeout(() => resolve('stuck'), 900))]);
  expect(after).toEqual({ fromPlan: 0, fromWallet: 10 });
  // And from inside a setImmediate callback (after this turn's uncork fired).
  const fromImmediate = await new Promise((resolve, reject) => setImmediate(() => wallet.reserve(request('cork-d')).then(resolve, reject)));
  expect(fromImmediate).toEqual({ fromPlan: 0, fromWallet: 10 });
  redis.disconnect();
});
