// Shared test set-up: a private Redis, the mock provider, a seeded snapshot/user/token, and a running data plane.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys, type Snapshot, type UsageEvent } from '@nebulagate/schema';
import {
  buildSnapshot,
  publishSnapshot,
  readUsageStream,
  seedUserWithToken,
  startMockProvider,
  startRedisServer,
  type MockProvider,
  type RedisServerHandle,
  type SeedChannel,
} from '@nebulagate/testing';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { startDataPlane, type RunningDataPlane } from '../src';

process.env.LOG_LEVEL ??= 'silent';

export const CRYPTO_SECRET = 'test-crypto-secret-0123456789';
export const PRICE = { inputPerMillion: 2_000_000, outputPerMillion: 8_000_000 };

/** What a test may put in the next snapshot (anything else keeps the harness defaults). */
export type PublishOptions = Partial<Pick<Parameters<typeof buildSnapshot>[0], 'channels' | 'prices' | 'settings' | 'groupMultipliers' | 'governanceRules'>>;

export interface Harness {
  redisServer: RedisServerHandle;
  redis: Redis;
  mock: MockProvider;
  dataPlane: RunningDataPlane;
  directory: string;
  publish(options?: PublishOptions): Promise<Snapshot>;
  openai(key: string): OpenAI;
  wallet(userId: string): Promise<number>;
  /** The request's usage event as the data plane recorded it in the usage stream (no worker runs here). */
  usageEvent(requestId: string): Promise<UsageEvent | null>;
  /** Usage events recorded so far. */
  jobCount(): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(options: { allowPrivateUpstreams?: boolean; extraMocks?: number; streamPingIntervalMs?: number } = {}): Promise<Harness> {
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  const mock = await startMockProvider();
  const directory = mkdtempSync(join(tmpdir(), 'ng-data-plane-test-'));
  const defaultChannels: SeedChannel[] = [{ id: 'channel-a', baseUrl: mock.baseUrl, keys: ['sk-upstream-a'], models: ['gpt-4o-mini', 'gpt-4o'] }];
  let dataPlaneUrl: string | null = null;
  // Publishing is asynchronous (pub/sub + load); wait until the data plane reports the new version.
  const publish: Harness['publish'] = async (publishOptions = {}) => {
    const snapshot = await publishSnapshotNow(publishOptions);
    if (dataPlaneUrl) {
      const url = dataPlaneUrl;
      await eventually(async () => {
        const health = (await (await fetch(`${url}/health`)).json()) as { snapshotVersion: number };
        return health.snapshotVersion === snapshot.version ? true : null;
      });
    }
    return snapshot;
  };
  const publishSnapshotNow = (publishOptions: Parameters<Harness['publish']>[0] = {}) =>
    publishSnapshot(redis, (version) =>
      buildSnapshot({
        version,
        channels: publishOptions.channels ?? defaultChannels,
        prices: publishOptions.prices ?? { 'gpt-4o-mini': PRICE, 'gpt-4o': PRICE },
        cryptoSecret: CRYPTO_SECRET,
        settings: publishOptions.settings,
        groupMultipliers: publishOptions.groupMultipliers,
        governanceRules: publishOptions.governanceRules,
      }),
    );
  await publish();
  const dataPlane = await startDataPlane({
    host: '127.0.0.1',
    port: 0,
    redisUrl: redisServer.url,
    cryptoSecret: CRYPTO_SECRET,
    allowPrivateUpstreams: options.allowPrivateUpstreams ?? true,
    snapshotCachePath: join(directory, 'snapshot.json'),
    usageSpoolPath: join(directory, 'usage-spool.jsonl'),
    streamPingIntervalMs: options.streamPingIntervalMs,
  });
  dataPlaneUrl = dataPlane.url;
  return {
    redisServer,
    redis,
    mock,
    dataPlane,
    directory,
    publish,
    openai: (key) => new OpenAI({ apiKey: key, baseURL: `${dataPlane.url}/v1`, maxRetries: 0 }),
    wallet: async (userId) => Number(await redis.get(redisKeys.wallet(userId))),
    async usageEvent(requestId) {
      const { events, problems } = await readUsageStream(redis);
      if (problems.length > 0) throw new Error(`unreadable usage stream entries: ${problems.join(', ')}`);
      return events.find((event) => event.requestId === requestId) ?? null;
    },
    jobCount: () => redis.xlen(redisKeys.usageStream),
    async close() {
      await dataPlane.close();
      await mock.close();
      redis.disconnect();
      await redisServer.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

let userCounter = 0;
/** A fresh user + key per test so wallets never mix. */
export async function seedUser(harness: Harness, walletCredits = 10_000_000, token: Parameters<typeof seedUserWithToken>[1]['token'] = {}) {
  userCounter += 1;
  const userId = `user-${userCounter}-${Date.now()}`;
  const seeded = await seedUserWithToken(harness.redis, { userId, tokenId: `token-${userCounter}`, walletCredits, token });
  return { ...seeded, userId };
}

/** Plain HTTP call to the data plane (for inputs the SDK would never send). */
export async function post(harness: Harness, path: string, init: { key?: string | null; body?: string | Buffer; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const response = await fetch(`${harness.dataPlane.url}${path}`, { method: 'POST', headers, body: init.body });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Polls until `check` returns a value (or the deadline passes); for effects that finish after the response. */
export async function eventually<T>(check: () => Promise<T | null | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function expectOpenAiError(json: unknown, code: string): void {
  expect(json).toMatchObject({ error: { code, message: expect.any(String), type: expect.any(String) } });
  const error = (json as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error.param === null || typeof error.param === 'string').toBe(true);
}
