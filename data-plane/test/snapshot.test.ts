// Snapshot follow-up: a new price or a disabled channel applies to the next request after publish; the last good
// snapshot is kept on disk and used to boot when Redis is unreachable; Redis errors on the request path are fast 503s.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeCost } from '@nebulagate/schema';
import { freePort, startRedisServer } from '@nebulagate/testing';
import { startDataPlane } from '../src';
import { CRYPTO_SECRET, expectOpenAiError, post, PRICE, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'price check' }] });

test('a price published in a new snapshot applies to the next request', async () => {
  const { key, userId } = await seedUser(harness);
  const newPrice = { inputPerMillion: 5_000_000, outputPerMillion: 20_000_000 };
  await harness.publish({ prices: { 'gpt-4o-mini': newPrice, 'gpt-4o': PRICE } });
  const before = await harness.wallet(userId);
  const response = await post(harness, '/v1/chat/completions', { key, body });
  expect(response.status).toBe(200);
  const usage = (response.json as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
  const expected = computeCost(
    { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    { ...newPrice, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0 },
  ).total;
  expect(before - (await harness.wallet(userId))).toBe(expected);
  const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
  expect(event?.cost).toBe(expected);
});

test('a channel removed from the snapshot is not used by the next request', async () => {
  const { key } = await seedUser(harness);
  await harness.publish({ channels: [{ id: 'channel-a', baseUrl: harness.mock.baseUrl, keys: ['sk-upstream-a'], models: ['gpt-4o'] }] });
  const response = await post(harness, '/v1/chat/completions', { key, body });
  expect(response.status).toBe(404);
  expectOpenAiError(response.json, 'model_not_found');
  await harness.publish();
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
});

test('the last good snapshot is written to disk', async () => {
  const path = join(harness.directory, 'snapshot.json');
  expect(existsSync(path)).toBe(true);
  const copy = JSON.parse(readFileSync(path, 'utf8')) as { version: number };
  const health = (await (await fetch(`${harness.dataPlane.url}/health`)).json()) as { snapshotVersion: number };
  expect(copy.version).toBe(health.snapshotVersion);
});

test('an invalid snapshot is ignored and the previous one stays live', async () => {
  const { key } = await seedUser(harness);
  const before = (await (await fetch(`${harness.dataPlane.url}/health`)).json()) as { snapshotVersion: number };
  const version = await harness.redis.incr('ng:snapshot:version');
  await harness.redis.set('ng:snapshot:current', JSON.stringify({ version, nonsense: true }));
  await harness.redis.publish('ng:snapshot:published', String(version));
  expect((await post(harness, '/v1/chat/completions', { key, body })).status).toBe(200);
  const after = (await (await fetch(`${harness.dataPlane.url}/health`)).json()) as { snapshotVersion: number };
  expect(after.snapshotVersion).toBe(before.snapshotVersion);
  await harness.publish();
});

test('boots from the disk snapshot when Redis is unreachable, and answers fast 503s for what needs Redis', async () => {
  const deadPort = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'ng-dp-disk-'));
  const cachePath = join(directory, 'snapshot.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cachePath, readFileSync(join(harness.directory, 'snapshot.json')));
  const offline = await startDataPlane({
    host: '127.0.0.1',
    port: 0,
    redisUrl: `redis://127.0.0.1:${deadPort}`,
    cryptoSecret: CRYPTO_SECRET,
    allowPrivateUpstreams: true,
    snapshotCachePath: cachePath,
    usageSpoolPath: join(directory, 'spool.jsonl'),
  });
  try {
    const health = await fetch(`${offline.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { snapshotVersion: number }).snapshotVersion).toBeGreaterThan(0);
    const response = await fetch(`${offline.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-ng-anything', 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(503);
    expectOpenAiError(await response.json(), 'service_unavailable');
  } finally {
    await offline.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

test('Redis going away mid-life with offline spending off: cached keys still authenticate, but reserving answers 503 in OpenAI shape', async () => {
  const redisServer = await startRedisServer();
  const directory = mkdtempSync(join(tmpdir(), 'ng-dp-redis-down-'));
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const { buildSnapshot, publishSnapshot, seedUserWithToken } = await import('@nebulagate/testing');
  await publishSnapshot(redis, (version) =>
    buildSnapshot({ version, channels: [{ id: 'a', baseUrl: harness.mock.baseUrl, keys: ['k'], models: ['gpt-4o-mini'] }], prices: { 'gpt-4o-mini': PRICE }, cryptoSecret: CRYPTO_SECRET }),
  );
  const { key } = await seedUserWithToken(redis, { userId: 'u-down', tokenId: 't-down', walletCredits: 1_000_000 });
  const dataPlane = await startDataPlane({
    host: '127.0.0.1',
    port: 0,
    redisUrl: redisServer.url,
    cryptoSecret: CRYPTO_SECRET,
    allowPrivateUpstreams: true,
    snapshotCachePath: join(directory, 'snapshot.json'),
    usageSpoolPath: join(directory, 'spool.jsonl'),
    // With an allowance, a known caller keeps being served (offline-spend.test.ts); without one, nothing is spent.
    offlineSpendAllowance: 0,
  });
  try {
    const call = () =>
      fetch(`${dataPlane.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    expect((await call()).status).toBe(200);
    redis.disconnect();
    await redisServer.stop();
    const response = await call();
    expect(response.status).toBe(503);
    expectOpenAiError(await response.json(), 'service_unavailable');
  } finally {
    await dataPlane.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
