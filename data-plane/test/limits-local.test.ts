// With Redis unreachable, caps still hold, counted by this node: a bound instead of no limit at all.
import { NO_LIMITS } from '@nebulagate/schema';
import { freePort } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { RateLimiter } from '../src/limits/rate-limiter';

let redis: Redis;
let clock = 1_000_000;

beforeAll(async () => {
  // Nothing listens on this port, and commands fail at once instead of queueing.
  redis = new Redis(await freePort(), '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
});
afterAll(() => {
  redis.disconnect();
});

test('requests per minute: the cap holds per node, and a new minute opens the window again', async () => {
  const limiter = new RateLimiter(redis, () => clock);
  const scopes = [{ name: 'token:local-rpm', limits: { ...NO_LIMITS, requestsPerMinute: 2 } }];
  expect((await limiter.admit(scopes, 'r1', 10)).admitted).toBe(true);
  expect((await limiter.admit(scopes, 'r2', 10)).admitted).toBe(true);
  const refused = await limiter.admit(scopes, 'r3', 10);
  expect(refused).toMatchObject({ admitted: false, refusal: { scope: 'token:local-rpm', kind: 'rpm' } });
  if (!refused.admitted) expect(refused.refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  clock += 60_000;
  expect((await limiter.admit(scopes, 'r4', 10)).admitted).toBe(true);
});

test('concurrency and tokens per minute: a slot frees on release; the token count is corrected to the actual use', async () => {
  const limiter = new RateLimiter(redis, () => clock);
  const concurrency = [{ name: 'user:local-concurrency', limits: { ...NO_LIMITS, concurrentRequests: 1 } }];
  const first = await limiter.admit(concurrency, 'c1', 0);
  expect(first.admitted).toBe(true);
  expect(await limiter.admit(concurrency, 'c2', 0)).toMatchObject({ admitted: false, refusal: { kind: 'concurrency' } });
  if (first.admitted) await first.ticket.release(null);
  expect((await limiter.admit(concurrency, 'c3', 0)).admitted).toBe(true);

  const tokens = [{ name: 'ip:local-tpm', limits: { ...NO_LIMITS, tokensPerMinute: 100 } }];
  const big = await limiter.admit(tokens, 't1', 90);
  if (big.admitted) await big.ticket.release(20); // it used 20, not the 90 estimated
  // Admitted while the minute's count is below the cap (as in the Redis script): 20 + 80 reaches it.
  expect((await limiter.admit(tokens, 't2', 80)).admitted).toBe(true);
  expect(await limiter.admit(tokens, 't3', 1)).toMatchObject({ admitted: false, refusal: { kind: 'tpm' } });
});
