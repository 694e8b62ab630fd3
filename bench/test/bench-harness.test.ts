// Smoke test of the benchmark's pieces at tiny scale: the load generator, L0 and the data plane with real Redis.
// It asserts validity only (counts equal at both ends, streams complete with usage, money and usage events add up),
// never speed.
import { computeCost, redisKeys } from '@nebulagate/schema';
import { loadDataPlaneConfig, startDataPlane } from '@nebulagate/data-plane';
import { buildSnapshot, publishSnapshot, readUsageStream, seedUserWithToken, startMockProvider, startRedisServer, type MockProvider, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_COST_PER_REQUEST, BENCH_MODEL, BENCH_PRICE, BENCH_USAGE, mockScript, requestShape } from '../src/workload';
import { runClosedLoop, runConstantRate } from '../src/load-generator';
import { startPassThroughProxy, type PassThroughProxy } from '../src/pass-through-proxy';

const CRYPTO_SECRET = 'bench-test-crypto-secret-0123456789';
const CHAT_PATH = '/v1/chat/completions';

let mock: MockProvider;
let proxy: PassThroughProxy;
let redisServer: RedisServerHandle;
let redis: Redis;
let dataPlane: { url: string; close(): Promise<void> };
let gatewayKey: string;
let workDirectory: string;
const previousLogLevel = process.env.LOG_LEVEL;

beforeAll(async () => {
  // The data plane's logger reads LOG_LEVEL from the process environment.
  process.env.LOG_LEVEL = 'silent';
  mock = await startMockProvider({ models: [BENCH_MODEL], defaultScript: mockScript({}) });
  proxy = await startPassThroughProxy({ upstreamOrigin: new URL(mock.baseUrl).origin });
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  await publishSnapshot(redis, (version) =>
    buildSnapshot({
      version,
      cryptoSecret: CRYPTO_SECRET,
      channels: [{ id: 'bench-mock', baseUrl: mock.baseUrl, keys: ['sk-upstream'], models: [BENCH_MODEL] }],
      prices: { [BENCH_MODEL]: BENCH_PRICE },
    }),
  );
  ({ key: gatewayKey } = await seedUserWithToken(redis, { userId: 'bench-user', tokenId: 'bench-token', walletCredits: 1_000_000_000 }));
  workDirectory = mkdtempSync(join(tmpdir(), 'ng-bench-test-'));
  const config = loadDataPlaneConfig({
    HOST: '127.0.0.1',
    DATA_PLANE_PORT: '0',
    REDIS_URL: redisServer.url,
    CRYPTO_SECRET,
    ALLOW_PRIVATE_UPSTREAMS: 'true',
    DATA_DIR: workDirectory,
  });
  dataPlane = await startDataPlane(config);
});

afterAll(async () => {
  await dataPlane?.close();
  redis?.disconnect();
  await redisServer?.stop();
  await proxy?.close();
  await mock?.close();
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
});

beforeEach(() => {
  mock.reset();
  mock.setDefault(mockScript({}));
});

const upstreamHeaders = { authorization: 'Bearer sk-upstream' };

test('the cost the harness expects is the schema price of the fixed usage', () => {
  const cost = computeCost(
    { promptTokens: BENCH_USAGE.promptTokens, completionTokens: BENCH_USAGE.completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    { ...BENCH_PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0 },
  );
  expect(BENCH_COST_PER_REQUEST).toBe(cost.total);
});

test('closed loop direct and through L0: every request arrives upstream once and returns the fixed usage', async () => {
  const direct = await runClosedLoop({ target: { url: mock.baseUrl.replace(/\/v1$/, '') + CHAT_PATH, headers: upstreamHeaders }, shape: requestShape(false), concurrency: 4, durationMs: 10_000, maxRequests: 40 });
  const relayed = await runClosedLoop({ target: { url: proxy.url + CHAT_PATH, headers: upstreamHeaders }, shape: requestShape(false), concurrency: 4, durationMs: 10_000, maxRequests: 40 });
  for (const result of [direct, relayed]) {
    expect(result.failed).toBe(0);
    expect(result.completed).toBe(40);
    expect(result.latency.count).toBe(40);
  }
  expect(mock.requests).toHaveLength(80);
});

test('streams through L0 arrive complete with their usage chunk', async () => {
  mock.setDefault(mockScript({ chunkCount: 10, chunkIntervalMs: 1 }));
  const result = await runClosedLoop({ target: { url: proxy.url + CHAT_PATH, headers: upstreamHeaders }, shape: requestShape(true), concurrency: 3, durationMs: 10_000, maxRequests: 12 });
  expect(result.failed).toBe(0);
  expect(result.streams).toMatchObject({ complete: 12, incomplete: 0, missingUsage: 0, stalled: 0 });
  // role chunk + 10 content chunks + finish chunk + usage chunk + [DONE]
  expect(result.streams?.events).toBe(12 * 14);
  expect(result.firstByte?.count).toBe(12);
  expect(mock.requests).toHaveLength(12);
});

test('constant rate sends exactly the scheduled number of requests', async () => {
  const result = await runConstantRate({ target: { url: proxy.url + CHAT_PATH, headers: upstreamHeaders }, shape: requestShape(false), ratePerSecond: 100, durationMs: 300, connections: 8 });
  expect(result.sent).toBe(30);
  expect(result.completed).toBe(30);
  expect(mock.requests).toHaveLength(30);
});

test('a broken relay is reported as failures, not as fast requests', async () => {
  mock.setDefault({ status: 500 });
  const result = await runClosedLoop({ target: { url: proxy.url + CHAT_PATH, headers: upstreamHeaders }, shape: requestShape(false), concurrency: 2, durationMs: 10_000, maxRequests: 6 });
  expect(result.completed).toBe(0);
  expect(result.failed).toBe(6);
  expect(result.statusCounts['500']).toBe(6);
  expect(result.latency.count).toBe(0);
});

test('through the data plane: counts match, streams complete, one usage event and the exact charge per request', async () => {
  const walletBefore = Number(await redis.get(redisKeys.wallet('bench-user')));
  const target = { url: dataPlane.url.replace(/\/$/, '') + CHAT_PATH, headers: { authorization: `Bearer ${gatewayKey}` } };
  const json = await runClosedLoop({ target, shape: requestShape(false), concurrency: 3, durationMs: 10_000, maxRequests: 9 });
  mock.setDefault(mockScript({ chunkCount: 5 }));
  const stream = await runClosedLoop({ target, shape: requestShape(true), concurrency: 3, durationMs: 10_000, maxRequests: 6 });
  expect(json.failed).toBe(0);
  expect(json.completed).toBe(9);
  expect(stream.failed).toBe(0);
  expect(stream.streams).toMatchObject({ complete: 6, incomplete: 0, missingUsage: 0 });
  expect(mock.requests).toHaveLength(15);

  // Settle and the usage event may land just after the reply; poll (bounded) rather than sleep a fixed time.
  let queued = 0;
  for (let attempt = 0; attempt < 50 && queued < 15; attempt += 1) {
    queued = await redis.xlen(redisKeys.usageStream);
    if (queued < 15) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(queued).toBe(15);
  // Each event carries what its settle actually charged.
  const { events, problems } = await readUsageStream(redis);
  expect(problems).toEqual([]);
  expect(events.map((event) => event.cost)).toEqual(Array.from({ length: 15 }, () => BENCH_COST_PER_REQUEST));
  const walletAfter = Number(await redis.get(redisKeys.wallet('bench-user')));
  expect(walletBefore - walletAfter).toBe(15 * BENCH_COST_PER_REQUEST);
  expect(await redis.zcard(redisKeys.reservationsByExpiry)).toBe(0);
});
