// The channel health sweep, driven directly with a controllable clock: a dead channel (500 / closed port) is disabled
// after N failures and re-enabled after M successes, without flapping; admin-disabled channels are never touched;
// user-caused 4xx never count; two runs in one slot probe each channel once. Real Redis + SQLite/PostgreSQL + mock.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { channelKeyId, QUEUES, redisKeys, sealSecret, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { createTestDatabase, freePort, startMockProvider, startRedisServer, type MockProvider, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { AuditLog, Channel, ChannelHealthStatus, ChannelStatus, createGuardedFetcher, openDatabase, RedisPublisher, type Database, type GuardedFetcher } from '@nebulagate/control-plane';
import { startWorkers } from '../src';
import { readChannelHealthSettings, sweepChannelHealth, type ChannelHealthDependencies, type ChannelHealthSweepResult } from '../src/jobs/channel-health.job';

const CRYPTO_SECRET = 'test-crypto-secret-0123456789';
const EVERY_MS = 60_000;
const KEY = 'sk-health-probe-key-00000000abcd';

let redisServer: RedisServerHandle;
let testDatabase: TestDatabase;
let database: Database;
let redis: Redis;
let fetcher: GuardedFetcher;
let publisher: RedisPublisher;
let mock: MockProvider;
let clock = Date.UTC(2026, 10, 23, 12, 0, 0);

function dependencies(): ChannelHealthDependencies {
  return {
    orm: database.orm,
    redis,
    fetcher,
    settings: { everyMs: EVERY_MS, failuresToDisable: 3, successesToEnable: 2, parallelProbes: 4, cryptoSecret: CRYPTO_SECRET },
    publishSnapshot: () => publisher.publishSnapshot(),
    now: () => clock,
  };
}

/** One scheduled run, one slot later than the previous one. */
function nextSweep(): Promise<ChannelHealthSweepResult> {
  clock += EVERY_MS;
  return sweepChannelHealth(dependencies());
}

async function createChannel(baseUrl: string, overrides: Partial<Channel> = {}): Promise<string> {
  const em = database.orm.em.fork();
  const channel = em.create(Channel, {
    name: 'probe-me', type: 'openai', baseUrl, models: ['gpt-4o-mini'],
    sealedKeys: [sealSecret(KEY, CRYPTO_SECRET)], keyStates: [{ id: channelKeyId(KEY), hint: 'sk-…abcd', enabled: true }],
    ...overrides,
  });
  await em.flush();
  return channel.id;
}

async function channelOf(id: string): Promise<Channel> {
  return database.orm.em.fork().findOneOrFail(Channel, { id });
}

async function snapshot(): Promise<Snapshot> {
  return snapshotSchema.parse(JSON.parse((await redis.get(redisKeys.snapshotCurrent)) ?? 'null'));
}

beforeAll(async () => {
  redisServer = await startRedisServer();
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  fetcher = createGuardedFetcher({ allowPrivateUpstreams: true, timeoutMs: 5000 });
  publisher = new RedisPublisher(redis, database.orm, (message) => {
    throw new Error(message);
  });
  mock = await startMockProvider();
});

beforeEach(async () => {
  await database.orm.em.fork().nativeDelete(Channel, {});
  mock.reset();
  mock.setDefault({});
});

afterAll(async () => {
  await mock.close();
  await fetcher.close();
  redis.disconnect();
  await database.close();
  await redisServer.stop();
  await testDatabase.drop();
});

describe('channel health sweep', () => {
  it('disables a channel answering 500 after 3 failures and re-enables it after 2 successes, with a history', async () => {
    const id = await createChannel(mock.baseUrl);
    const healthy = await createChannel(mock.baseUrl, { name: 'always fine' });
    await publisher.publishSnapshot();
    // Only the first channel's probes fail: scripts are consumed in channel-id order, one probe per channel per sweep.
    const failing = () => (id < healthy ? [{ status: 500 }, {}] : [{}, { status: 500 }]);

    for (let sweep = 1; sweep <= 2; sweep += 1) {
      mock.enqueue(...failing());
      expect(await nextSweepOneAtATime()).toMatchObject({ probed: 2, disabled: [], enabled: [] });
      expect((await channelOf(id)).status).toBe(ChannelStatus.ENABLED);
    }
    mock.enqueue(...failing());
    expect(await nextSweepOneAtATime()).toMatchObject({ probed: 2, disabled: [id], enabled: [] });
    let channel = await channelOf(id);
    expect(channel).toMatchObject({ status: ChannelStatus.DISABLED, autoDisabled: true, healthStatus: ChannelHealthStatus.UNHEALTHY, consecutiveFailures: 3 });
    expect((await snapshot()).channels[id]).toBeUndefined();
    expect((await snapshot()).channels[healthy]).toBeDefined();

    // Still down: stays disabled, keeps being probed.
    mock.enqueue(...failing());
    expect(await nextSweepOneAtATime()).toMatchObject({ probed: 2, disabled: [], enabled: [] });

    // Recovery: one good probe is not enough (no flapping), the second re-enables.
    expect(await nextSweepOneAtATime()).toMatchObject({ enabled: [] });
    expect((await channelOf(id)).status).toBe(ChannelStatus.DISABLED);
    expect(await nextSweepOneAtATime()).toMatchObject({ enabled: [id] });
    channel = await channelOf(id);
    expect(channel).toMatchObject({ status: ChannelStatus.ENABLED, autoDisabled: false, healthStatus: ChannelHealthStatus.HEALTHY, consecutiveSuccesses: 2 });
    expect((await snapshot()).channels[id]).toBeDefined();

    expect(channel.healthHistory.map((check) => check.httpStatus)).toEqual([500, 500, 500, 500, 200, 200]);
    expect(channel.healthHistory.map((check) => check.outcome)).toEqual(['down', 'down', 'down', 'down', 'up', 'up']);
    expect(channel.healthHistory.every((check) => check.latencyMs >= 0 && !JSON.stringify(check).includes(KEY))).toBe(true);
    expect(channel.lastCheckedAt?.getTime()).toBe(clock);
    // Free probes only: the model list, never a billed chat.
    expect(mock.requests.every((request) => request.method === 'GET' && request.path === '/v1/models')).toBe(true);

    const audits = await database.orm.em.fork().find(AuditLog, { target: id }, { orderBy: { createdAt: 'asc' } });
    expect(audits.map((audit) => audit.action)).toEqual(['channel.health.disable', 'channel.health.enable']);
  });

  it('does not flap: failures or successes that are not consecutive change nothing', async () => {
    const id = await createChannel(mock.baseUrl);
    for (const script of [{ status: 503 }, { status: 503 }, {}, { status: 503 }, { status: 503 }, {}, { status: 502 }]) {
      mock.enqueue(script);
      expect(await nextSweep()).toMatchObject({ probed: 1, disabled: [], enabled: [] });
    }
    expect((await channelOf(id)).status).toBe(ChannelStatus.ENABLED);

    for (const script of [{ status: 500 }, { status: 500 }]) {
      mock.enqueue(script);
      await nextSweep();
    }
    expect((await channelOf(id)).status).toBe(ChannelStatus.DISABLED);
    for (const script of [{}, { status: 500 }, {}, { status: 500 }, {}]) {
      mock.enqueue(script);
      expect(await nextSweep()).toMatchObject({ enabled: [] });
    }
    expect((await channelOf(id)).status).toBe(ChannelStatus.DISABLED);
  });

  it('disables a channel whose port is closed', async () => {
    const id = await createChannel(`http://127.0.0.1:${await freePort()}/v1`);
    for (let sweep = 0; sweep < 3; sweep += 1) await nextSweep();
    const channel = await channelOf(id);
    expect(channel).toMatchObject({ status: ChannelStatus.DISABLED, autoDisabled: true });
    expect(channel.healthHistory.map((check) => check.httpStatus)).toEqual([null, null, null]);
    expect(channel.healthHistory[0]?.message).toMatch(/connection failed/);
  });

  it('never counts user-caused or key errors (400, 404, 401, 403, 429)', async () => {
    const id = await createChannel(mock.baseUrl);
    for (const status of [400, 404, 401, 403, 429, 400, 401, 429]) {
      mock.enqueue({ status });
      await nextSweep();
    }
    const channel = await channelOf(id);
    expect(channel).toMatchObject({ status: ChannelStatus.ENABLED, autoDisabled: false, consecutiveFailures: 0 });
    expect(channel.healthHistory.map((check) => check.outcome)).toEqual(['up', 'up', 'inconclusive', 'inconclusive', 'inconclusive', 'up', 'inconclusive', 'inconclusive']);
  });

  it('never probes or re-enables a channel an admin disabled, even one the worker had disabled first', async () => {
    const adminDisabled = await createChannel(mock.baseUrl, { status: ChannelStatus.DISABLED });
    expect(await nextSweep()).toMatchObject({ probed: 0 });
    expect(mock.requests).toHaveLength(0);

    const id = await createChannel(mock.baseUrl);
    mock.setDefault({ status: 500 });
    for (let sweep = 0; sweep < 3; sweep += 1) await nextSweep();
    expect((await channelOf(id)).autoDisabled).toBe(true);
    // The admin takes over (what updateChannel / setChannelsStatus do): disabled for good.
    await database.orm.em.fork().nativeUpdate(Channel, { id }, { status: ChannelStatus.DISABLED, autoDisabled: false });
    mock.setDefault({});
    for (let sweep = 0; sweep < 4; sweep += 1) expect(await nextSweep()).toMatchObject({ probed: 0, enabled: [] });
    expect((await channelOf(id)).status).toBe(ChannelStatus.DISABLED);
    expect((await channelOf(adminDisabled)).status).toBe(ChannelStatus.DISABLED);
  });

  it('skips a key that is admin-disabled or in the data plane\'s disabled set', async () => {
    const goodKey = 'sk-the-only-good-key-0000009999';
    const guarded = await startMockProvider({ apiKeys: [goodKey] });
    try {
      const id = await createChannel(guarded.baseUrl, {
        sealedKeys: [KEY, 'sk-admin-disabled-key-00000007777', goodKey].map((key) => sealSecret(key, CRYPTO_SECRET)),
        keyStates: [
          { id: channelKeyId(KEY), hint: 'sk-…abcd', enabled: true },
          { id: channelKeyId('sk-admin-disabled-key-00000007777'), hint: 'sk-…7777', enabled: false },
          { id: channelKeyId(goodKey), hint: 'sk-…9999', enabled: true },
        ],
      });
      await redis.sadd(redisKeys.disabledKeys(id), channelKeyId(KEY));
      await nextSweep();
      expect(guarded.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${goodKey}`]);
      expect((await channelOf(id)).healthHistory.map((check) => check.httpStatus)).toEqual([200]);
    } finally {
      await guarded.close();
    }
  });

  it('records the upstream balance where the provider reports one (DeepSeek shape), keeping the last one on failure', async () => {
    // A stand-in for DeepSeek's own balance endpoint (the mock provider speaks the chat wires only).
    let balanceStatus = 200;
    const upstream = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/v1/models') {
        response.end(JSON.stringify({ object: 'list', data: [] }));
      } else if (request.url === '/user/balance' && request.headers.authorization === `Bearer ${KEY}`) {
        response.statusCode = balanceStatus;
        response.end(balanceStatus === 200 ? JSON.stringify({ is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '12.34' }] }) : '{}');
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const id = await createChannel(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`, { type: 'deepseek' });
      await nextSweep();
      expect((await channelOf(id)).upstreamBalance).toEqual({ amount: 12.34, currency: 'CNY', checkedAt: clock });
      const recordedAt = clock;
      balanceStatus = 500;
      await nextSweep();
      const channel = await channelOf(id);
      expect(channel.upstreamBalance).toEqual({ amount: 12.34, currency: 'CNY', checkedAt: recordedAt });
      // A failing balance call is not a health failure.
      expect(channel).toMatchObject({ status: ChannelStatus.ENABLED, consecutiveFailures: 0, consecutiveSuccesses: 2 });
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  it('is safe to run twice: a second run in the same slot, even at the same time, probes nothing again', async () => {
    const ids = await Promise.all([1, 2, 3].map((index) => createChannel(mock.baseUrl, { name: `c${index}` })));
    clock += EVERY_MS;
    const [first, second] = await Promise.all([sweepChannelHealth(dependencies()), sweepChannelHealth(dependencies())]);
    expect((first?.probed ?? 0) + (second?.probed ?? 0)).toBe(3);
    expect((first?.skipped ?? 0) + (second?.skipped ?? 0)).toBe(3);
    expect(await sweepChannelHealth(dependencies())).toMatchObject({ probed: 0, skipped: 3 });
    expect(mock.requests).toHaveLength(3);
    for (const id of ids) expect((await channelOf(id)).healthHistory).toHaveLength(1);
  });

  it('keeps the history bounded to the last 50 checks', async () => {
    const id = await createChannel(mock.baseUrl);
    for (let sweep = 0; sweep < 53; sweep += 1) await nextSweep();
    const history = (await channelOf(id)).healthHistory;
    expect(history).toHaveLength(50);
    expect(history.at(-1)?.at).toBe(clock);
  });
});

describe('scheduling', () => {
  it('reads its settings from the environment (0 or no CRYPTO_SECRET turns it off)', () => {
    expect(readChannelHealthSettings({ CRYPTO_SECRET })).toMatchObject({ everyMs: 60_000, failuresToDisable: 3, successesToEnable: 2 });
    expect(readChannelHealthSettings({ CRYPTO_SECRET, CHANNEL_HEALTH_INTERVAL_SECONDS: '15', CHANNEL_HEALTH_FAILURES: '5', CHANNEL_HEALTH_RECOVERIES: '4' }))
      .toMatchObject({ everyMs: 15_000, failuresToDisable: 5, successesToEnable: 4 });
    expect(readChannelHealthSettings({ CRYPTO_SECRET, CHANNEL_HEALTH_INTERVAL_SECONDS: '0' })).toBeNull();
    expect(readChannelHealthSettings({})).toBeNull();
    expect(() => readChannelHealthSettings({ CRYPTO_SECRET, CHANNEL_HEALTH_FAILURES: 'many' })).toThrow(/CHANNEL_HEALTH_FAILURES/);
  });

  it('startWorkers upserts one job scheduler (idempotent across restarts) and its runs probe channels', async () => {
    const id = await createChannel(mock.baseUrl);
    const settings = { everyMs: 1000, failuresToDisable: 3, successesToEnable: 2, timeoutMs: 5000, parallelProbes: 2, allowPrivateUpstreams: true, cryptoSecret: CRYPTO_SECRET };
    const first = await startWorkers({ databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: 1 }, settings);
    const second = await startWorkers({ databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: 1 }, settings);
    const queue = new Queue(QUEUES.channelHealth, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key)).toEqual(['channel-health-sweep']);
      for (let attempt = 0; attempt < 100 && (await channelOf(id)).lastCheckedAt === null; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await channelOf(id)).healthHistory.length).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.close();
      await first.close();
      await second.close();
    }
  });
});

/** Sweeps with one probe in flight at a time so enqueued scripts meet channels in id order. */
async function nextSweepOneAtATime(): Promise<ChannelHealthSweepResult> {
  clock += EVERY_MS;
  return sweepChannelHealth({ ...dependencies(), settings: { ...dependencies().settings, parallelProbes: 1 } });
}
