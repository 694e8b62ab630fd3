// The breaker, retry-budget and limit scripts against a real Redis, step by step: two ChannelHealth instances stand
// for two nodes. Closed -> open past the threshold (never before minimumRequests) -> one half-open probe -> closed on
// success / open again on failure; disabled keys read back by every node; the retry budget's ratio and floor.
import { channelKeyId, redisKeys, type Snapshot } from '@nebulagate/schema';
import { buildSnapshot, startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { ChannelHealth } from '../src/resilience/channel-health';
import { RETRY_BUDGET_FLOOR, RetryBudget } from '../src/resilience/retry-budget';
import { requestLimitScopes } from '../src/limits/limit-scopes';
import { RateLimiter } from '../src/limits/rate-limiter';

let server: RedisServerHandle;
let redis: Redis;

function snapshotWith(openSeconds: number): Snapshot {
  return buildSnapshot({
    version: 1,
    cryptoSecret: 'test-crypto-secret-0123456789',
    channels: [{ id: 'c1', baseUrl: 'https://upstream.example', keys: ['sk-one', 'sk-two'], models: ['m'] }],
    prices: { m: { inputPerMillion: 1, outputPerMillion: 1 } },
    settings: { breaker: { windowSeconds: 60, minimumRequests: 4, failureRateThreshold: 0.5, openSeconds } },
  });
}

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
});

const keyOne = channelKeyId('sk-one');
const keyTwo = channelKeyId('sk-two');

test('opens past the failure share only after minimumRequests, and every node reads it', async () => {
  const holder = { snapshot: snapshotWith(60) };
  const nodeA = new ChannelHealth(redis, holder);
  const nodeB = new ChannelHealth(redis, holder);
  const now = Date.now();
  nodeA.report('c1', keyOne, 'failure', false);
  nodeA.report('c1', keyOne, 'failure', false);
  nodeA.report('c1', keyOne, 'failure', false);
  await nodeA.sync();
  // 3 failures of 3, below minimumRequests 4: still closed.
  expect(nodeA.channelAvailability('c1', now)).toBe('usable');
  nodeA.report('c1', keyTwo, 'success', false);
  await nodeA.sync();
  expect(nodeA.channelAvailability('c1', Date.now())).toBe('blocked');
  // The key breakers count separately: sk-one 3/3 failures but only 3 requests.
  expect(nodeA.keyAvailability('c1', keyOne, Date.now())).toBe('usable');
  expect(nodeB.channelAvailability('c1', Date.now())).toBe('usable');
  await nodeB.sync();
  expect(nodeB.channelAvailability('c1', Date.now())).toBe('blocked');
  expect(nodeB.retryAfterSeconds(['c1'], Date.now())).toBeGreaterThan(50);
});

test('neutral outcomes (user errors) and key rate limits never count on the channel', async () => {
  const holder = { snapshot: snapshotWith(60) };
  const node = new ChannelHealth(redis, holder);
  for (let index = 0; index < 10; index += 1) {
    node.report('c1', keyOne, 'neutral', false);
    node.report('c1', keyOne, 'key_failure', false);
  }
  await node.sync();
  expect(node.channelAvailability('c1', Date.now())).toBe('usable');
  expect(await redis.exists(redisKeys.breaker('c1'))).toBe(0);
  expect(node.keyAvailability('c1', keyOne, Date.now())).toBe('blocked');
  expect(node.keyAvailability('c1', keyTwo, Date.now())).toBe('usable');
});

test('half-open: one probe at a time; success closes, failure reopens', async () => {
  const holder = { snapshot: snapshotWith(1) };
  const nodeA = new ChannelHealth(redis, holder);
  const nodeB = new ChannelHealth(redis, holder);
  for (let index = 0; index < 4; index += 1) nodeA.report('c1', keyOne, 'failure', false);
  await nodeA.sync();
  const openUntil = Number(await redis.hget(redisKeys.breaker('c1'), 'openUntil'));
  expect(nodeA.channelAvailability('c1', openUntil - 1)).toBe('blocked');
  expect(nodeA.channelAvailability('c1', openUntil)).toBe('probe');
  // Still open: no probe yet.
  if (Date.now() < openUntil) expect(await nodeA.acquireProbe([redisKeys.breaker('c1')], 60_000)).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, openUntil - Date.now() + 20)));
  expect(await nodeA.acquireProbe([redisKeys.breaker('c1')], 60_000)).toBe(true);
  // The other node (and this one) must wait for the probe.
  expect(await nodeB.acquireProbe([redisKeys.breaker('c1')], 60_000)).toBe(false);
  expect(await nodeA.acquireProbe([redisKeys.breaker('c1')], 60_000)).toBe(false);
  nodeA.report('c1', keyOne, 'failure', true);
  await nodeA.sync();
  expect(await redis.hget(redisKeys.breaker('c1'), 's')).toBe('1');
  const reopenedUntil = Number(await redis.hget(redisKeys.breaker('c1'), 'openUntil'));
  expect(reopenedUntil).toBeGreaterThan(openUntil);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, reopenedUntil - Date.now() + 20)));
  expect(await nodeB.acquireProbe([redisKeys.breaker('c1')], 60_000)).toBe(true);
  nodeB.report('c1', keyOne, 'success', true);
  await nodeB.sync();
  expect(await redis.hget(redisKeys.breaker('c1'), 's')).toBe('0');
  await nodeA.sync();
  expect(nodeA.channelAvailability('c1', Date.now())).toBe('usable');
});

test('a disabled key is blocked on this node at once and on every node after its sync', async () => {
  const holder = { snapshot: snapshotWith(60) };
  const nodeA = new ChannelHealth(redis, holder);
  const nodeB = new ChannelHealth(redis, holder);
  await nodeA.disableKey('c1', keyTwo);
  expect(nodeA.keyAvailability('c1', keyTwo, Date.now())).toBe('blocked');
  expect(nodeA.keyAvailability('c1', keyOne, Date.now())).toBe('usable');
  await nodeB.sync();
  expect(nodeB.keyAvailability('c1', keyTwo, Date.now())).toBe('blocked');
  expect(nodeB.channelAvailability('c1', Date.now())).toBe('usable');
  // An operator re-enabling the key (SREM) is picked up by the next sync.
  await redis.srem(redisKeys.disabledKeys('c1'), keyTwo);
  await nodeA.sync();
  expect(nodeA.keyAvailability('c1', keyTwo, Date.now())).toBe('usable');
});

test('the retry budget allows ratio x first attempts plus the floor, shared by nodes', async () => {
  const nodeA = new RetryBudget(redis);
  const nodeB = new RetryBudget(redis);
  for (let index = 0; index < 20; index += 1) (index % 2 === 0 ? nodeA : nodeB).noteFirstAttempt();
  let allowed = 0;
  for (let index = 0; index < 40; index += 1) if (await (index % 2 === 0 ? nodeA : nodeB).tryRetry(0.25)) allowed += 1;
  // The unflushed first attempts of both nodes were written with their first retry check.
  expect(allowed).toBe(Math.floor(0.25 * 20) + RETRY_BUDGET_FLOOR);
  await nodeA.stop();
  await nodeB.stop();
});

test('limit scopes: token, user (own or group default) and IP; unlimited scopes are left out', () => {
  const snapshot = buildSnapshot({
    version: 1,
    cryptoSecret: 'test-crypto-secret-0123456789',
    channels: [],
    prices: {},
    settings: {
      limits: {
        perIp: { requestsPerMinute: 100, tokensPerMinute: null, concurrentRequests: null },
        groupDefaults: { vip: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: 9 } },
      },
    },
  });
  const none = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };
  const token = { id: 't1', userId: 'u1', name: 't', status: 'active' as const, expiresAt: null, models: null, ipAllowList: null, group: null, quotaLimited: false, limits: none };
  const user = { id: 'u1', status: 'active' as const, group: 'vip', limits: null };
  expect(requestLimitScopes(snapshot, token, user, '10.0.0.1').map((scope) => scope.name)).toEqual(['user:u1', 'ip:10.0.0.1']);
  const own = { ...user, limits: { ...none, requestsPerMinute: 5 } };
  expect(requestLimitScopes(snapshot, { ...token, limits: { ...none, tokensPerMinute: 7 } }, own, '10.0.0.1')).toEqual([
    { name: 'token:t1', limits: { ...none, tokensPerMinute: 7 } },
    { name: 'user:u1', limits: { ...none, requestsPerMinute: 5 } },
    { name: 'ip:10.0.0.1', limits: { ...none, requestsPerMinute: 100 } },
  ]);
});

test('limits are all or nothing across scopes, and a release frees the slot and corrects the tokens', async () => {
  const limiter = new RateLimiter(redis);
  const none = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };
  const token = { name: 'token:t9', limits: { ...none, concurrentRequests: 1, tokensPerMinute: 1000 } };
  const ip = { name: 'ip:1.2.3.4', limits: { ...none, requestsPerMinute: 2 } };
  const first = await limiter.admit([token, ip], 'request-1', 30);
  expect(first.admitted).toBe(true);
  const second = await limiter.admit([token, ip], 'request-2', 30);
  expect(second).toEqual({ admitted: false, refusal: { scope: 'token:t9', kind: 'concurrency', retryAfterSeconds: 1 } });
  // The refused request counted nowhere (the IP RPM still has room for one).
  expect(await redis.get(redisKeys.limit('ip:1.2.3.4', 'rpm'))).toBe('1');
  if (first.admitted) await first.ticket.release(12);
  expect(await redis.zcard(redisKeys.limit('token:t9', 'concurrency'))).toBe(0);
  expect(await redis.get(redisKeys.limit('token:t9', 'tpm'))).toBe('12');
  const third = await limiter.admit([token, ip], 'request-3', 30);
  expect(third.admitted).toBe(true);
  if (third.admitted) await third.ticket.release(null);
  const fourth = await limiter.admit([token, ip], 'request-4', 30);
  expect(fourth.admitted).toBe(false);
  if (!fourth.admitted) {
    expect(fourth.refusal.kind).toBe('rpm');
    expect(fourth.refusal.retryAfterSeconds).toBeGreaterThan(50);
  }
});
