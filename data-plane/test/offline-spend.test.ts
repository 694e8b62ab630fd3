// Redis goes away: a node keeps serving callers it knows, within its per-user offline allowance, and books every one
// of those requests when Redis returns (wallet and usage event), exactly once. Redis here runs with an append-only file
// so it can be killed and restarted with its data, like a production Redis with AOF.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys } from '@nebulagate/schema';
import { buildSnapshot, freePort, publishSnapshot, readUsageStream, seedUserWithToken, startMockProvider, type MockProvider } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { startDataPlane, type RunningDataPlane } from '../src';
import { WalletService } from '../src/billing/wallet.service';
import { CRYPTO_SECRET, eventually, PRICE } from './harness';

// Each request below reserves about 8 200 credits (max_tokens 1000 at 8 per output token, plus the prompt) and costs 60
// (the mock's usage: 10 prompt + 5 completion tokens). The allowance holds two such reservations, not three.
const ALLOWANCE = 20_000;
const USAGE = { promptTokens: 10, completionTokens: 5 };
const COST = 10 * 2 + 5 * 8;
const WALLET = 1_000_000;

let directory: string;
let port: number;
let redisProcess: ChildProcess | null = null;
let redis: Redis;
let mock: MockProvider;
let dataPlane: RunningDataPlane;
let spoolPath: string;
let key: string;

function startRedis(): Promise<void> {
  redisProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    { stdio: 'ignore' },
  );
  return eventually(async () => ((await redis.ping().catch(() => null)) === 'PONG' ? true : null), 10_000).then(() => undefined);
}

async function stopRedis(): Promise<void> {
  const child = redisProcess;
  redisProcess = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function chat(): Promise<{ status: number; body: { error?: { type?: string; code?: string } } }> {
  const response = await fetch(`${dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hello' }] }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { type?: string; code?: string } } };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ng-offline-'));
  spoolPath = join(directory, 'usage-spool.jsonl');
  port = await freePort();
  redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  await startRedis();
  mock = await startMockProvider();
  await publishSnapshot(redis, (version) =>
    buildSnapshot({
      version,
      channels: [{ id: 'channel-a', baseUrl: mock.baseUrl, keys: ['sk-upstream-a'], models: ['gpt-4o-mini'] }],
      prices: { 'gpt-4o-mini': PRICE },
      cryptoSecret: CRYPTO_SECRET,
    }),
  );
  ({ key } = await seedUserWithToken(redis, { userId: 'user-offline', tokenId: 'token-offline', walletCredits: WALLET }));
  dataPlane = await startDataPlane({
    host: '127.0.0.1',
    port: 0,
    redisUrl: `redis://127.0.0.1:${port}`,
    cryptoSecret: CRYPTO_SECRET,
    allowPrivateUpstreams: true,
    snapshotCachePath: join(directory, 'snapshot.json'),
    usageSpoolPath: spoolPath,
    offlineSpendAllowance: ALLOWANCE,
  });
});

afterAll(async () => {
  await dataPlane?.close();
  await mock?.close();
  await stopRedis();
  redis?.disconnect();
  rmSync(directory, { recursive: true, force: true });
});

test('while Redis is down a known caller spends up to the allowance; every such request is booked once Redis returns', async () => {
  mock.setDefault({ usage: USAGE });
  // Online first: the node learns this caller's balance (and caches the key).
  expect((await chat()).status).toBe(200);

  await stopRedis();
  // Four at once against an allowance that holds two reservations: two are served, two get a retryable 503.
  mock.setDefault({ usage: USAGE, delayMs: 300 });
  const answers = await Promise.all([chat(), chat(), chat(), chat()]);
  mock.setDefault({ usage: USAGE });
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 503, 503]);
  for (const refused of answers.filter((answer) => answer.status === 503)) expect(refused.body.error?.code).toBe('service_unavailable');
  // Settled offline, each served request went to the spool together with the charge it still owes.
  const spooled = readFileSync(spoolPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { charge: { cost: number } });
  expect(spooled.map((line) => line.charge.cost)).toEqual([COST, COST]);
  // Sequentially the allowance only counts what was actually spent (60 each), so the caller is not cut off early.
  expect((await chat()).status).toBe(200);

  await startRedis();
  // The replay books the three offline requests: wallet down by what they cost, their events on the usage stream.
  await eventually(async () => (existsSync(spoolPath) ? null : true), 15_000);
  const { events, problems } = await eventually(async () => {
    const stream = await readUsageStream(redis);
    return stream.events.length === 4 ? stream : null;
  }, 15_000);
  expect(problems).toEqual([]);
  // One online, three offline; the two refused requests reserved nothing and leave no charge.
  expect(events.map((event) => event.cost)).toEqual([COST, COST, COST, COST]);
  expect(Number(await redis.get(redisKeys.wallet('user-offline')))).toBe(WALLET - 4 * COST);
  expect(await redis.zcard(redisKeys.reservationsByExpiry)).toBe(0);
});

test('a late charge is booked once, however often its spool line is replayed', async () => {
  const wallet = new WalletService(redis);
  await redis.set(redisKeys.wallet('user-late'), 1_000);
  const charge = { requestId: `late-${Date.now()}`, userId: 'user-late', cost: 300, model: 'gpt-4o-mini', group: 'default' };
  const event = JSON.stringify({
    requestId: charge.requestId, userId: 'user-late', tokenId: 'token-late', channelId: null, model: 'gpt-4o-mini', upstreamModel: null,
    endpoint: '/v1/chat/completions', stream: false, status: 'success', httpStatus: 200, promptTokens: 10, completionTokens: 5, cacheReadTokens: 0,
    cacheWriteTokens: 0, estimated: false, cost: 0, reserved: 0, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: null,
    clientIp: null, errorCode: null,
  });
  await expect(wallet.chargeLate(charge, event)).resolves.toEqual({ settled: true, planCost: 0, walletCost: 300, uncovered: 0 });
  await expect(wallet.chargeLate(charge, event)).resolves.toEqual({ settled: false, planCost: 0, walletCost: 0, uncovered: 0 });
  expect(Number(await redis.get(redisKeys.wallet('user-late')))).toBe(700);
  // More than the wallet holds: it never goes below zero, and the rest is reported as uncovered.
  const big = { ...charge, requestId: `${charge.requestId}-big`, cost: 1_000 };
  await expect(wallet.chargeLate(big, event.replace(charge.requestId, big.requestId))).resolves.toEqual({ settled: true, planCost: 0, walletCost: 700, uncovered: 300 });
  expect(Number(await redis.get(redisKeys.wallet('user-late')))).toBe(0);
});
