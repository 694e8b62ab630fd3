// The offline allowance keeps a node within the last balance it saw (DESIGN §7, offline-allowance.ts), across Redis
// blips too: offline spend counts until Redis has booked it, not until Redis merely answers again (a reserve answered
// between two outages once made the node hand out the whole balance a second time).
import { redisKeys } from '@nebulagate/schema';
import { startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { OfflineAllowance } from '../src/billing/offline-allowance';
import { WalletService } from '../src/billing/wallet.service';

let redisServer: RedisServerHandle;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
});
afterAll(async () => {
  redis.disconnect();
  await redisServer.stop();
});

const event = (requestId: string) =>
  JSON.stringify({
    requestId, userId: 'user-blip', tokenId: 'token-blip', channelId: null, model: 'gpt-4o-mini', upstreamModel: null, endpoint: '/v1/chat/completions',
    stream: false, status: 'success', httpStatus: 200, promptTokens: 1, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false,
    cost: 0, reserved: 0, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: null, clientIp: null, errorCode: null,
  });

async function down(): Promise<void> {
  await new Promise((resolve) => {
    redis.once('end', resolve);
    redis.disconnect();
  });
}
async function up(): Promise<void> {
  await redis.connect();
}

test('a Redis blip during an offline request does not hand out the last seen balance a second time', async () => {
  const userId = 'user-blip';
  const WALLET = 100_000;
  await redis.set(redisKeys.wallet(userId), WALLET);
  const wallet = new WalletService(redis, new OfflineAllowance(1_000_000));
  const request = (requestId: string, amount: number) => ({ requestId, userId, tokenId: 'token-blip', amount, model: 'gpt-4o-mini', group: 'default', quotaLimited: false });
  // Online: the node learns the balance.
  await wallet.reserve(request('blip-0', 0));
  await wallet.settle('blip-0', userId, 'token-blip', 0, event('blip-0'));

  await down();
  // A long offline request takes 80 000 of the 100 000 the node saw.
  await expect(wallet.reserve(request('blip-1', 80_000))).resolves.toMatchObject({ offline: true });
  // Redis comes back for a moment: another request of the caller reserves online (Redis does not know blip-1 yet).
  await up();
  await wallet.reserve(request('blip-2', 0));
  await wallet.settle('blip-2', userId, 'token-blip', 0, event('blip-2'));
  await down();
  // blip-1 is still in flight, unbooked: only 20 000 of the last seen balance are left.
  const second = await wallet.reserve(request('blip-3', 80_000)).then(() => 'served', () => 'refused');
  await up();
  // Whatever was served is booked now.
  const first = await wallet.settle('blip-1', userId, 'token-blip', 80_000, event('blip-1'));
  const third = second === 'served' ? await wallet.settle('blip-3', userId, 'token-blip', 80_000, event('blip-3')) : null;
  const uncovered = first.uncovered + (third?.uncovered ?? 0);
  expect({ second, uncovered }).toEqual({ second: 'refused', uncovered: 0 });
  expect(Number(await redis.get(redisKeys.wallet(userId)))).toBe(WALLET - 80_000);
});
