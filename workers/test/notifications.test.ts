// Operator notifications: a low balance crossed by billing reaches the webhook once, signed; settings are both-or-
// neither; a webhook that refuses for good is not retried forever.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { BalanceAlert, hashPassword, openDatabase, User, type Database } from '@nebulagate/control-plane';
import { JOBS, QUEUES, usageJobId, type NotificationJob } from '@nebulagate/schema';
import { createTestDatabase, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { startWorkers, type WorkersHandle } from '../src';
import { readNotificationSettings } from '../src/jobs/notification.job';

const SECRET = 'notify-secret-0123456789';
let redisServer: RedisServerHandle;
let testDatabase: TestDatabase;
let database: Database;
let workers: WorkersHandle;
let receiver: Server;
let receiverStatus = 200;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(parts).toString('utf8') });
      response.statusCode = receiverStatus;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  redisServer = await startRedisServer();
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
  workers = await startWorkers(
    { databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: 2, notifications: { url, secret: SECRET }, allowPrivateUpstreams: true },
    null,
  );
});

afterAll(async () => {
  await workers.close();
  await database.close();
  await redisServer.stop();
  await testDatabase.drop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function until<T>(read: () => T | null | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('settings are both or neither, and the secret is not short', () => {
  expect(readNotificationSettings({})).toBeNull();
  expect(() => readNotificationSettings({ NOTIFY_WEBHOOK_URL: 'https://example.com/hook' })).toThrow(/NOTIFY_WEBHOOK_SECRET/);
  expect(() => readNotificationSettings({ NOTIFY_WEBHOOK_SECRET: SECRET })).toThrow(/NOTIFY_WEBHOOK_URL/);
  expect(() => readNotificationSettings({ NOTIFY_WEBHOOK_URL: 'https://example.com/hook', NOTIFY_WEBHOOK_SECRET: 'short' })).toThrow(/16/);
  expect(() => readNotificationSettings({ NOTIFY_WEBHOOK_URL: 'ftp://example.com', NOTIFY_WEBHOOK_SECRET: SECRET })).toThrow(/http/);
  expect(readNotificationSettings({ NOTIFY_WEBHOOK_URL: 'https://example.com/hook', NOTIFY_WEBHOOK_SECRET: SECRET })).toEqual({ url: 'https://example.com/hook', secret: SECRET });
});

test('billing that crosses the low-balance threshold sends one signed notification, even when the usage job runs twice', async () => {
  const em = database.orm.em.fork();
  const user = em.create(User, { username: 'running-low', passwordHash: await hashPassword('password-123'), balance: 10_000 });
  em.create(BalanceAlert, { userId: user.id, threshold: 5_000 });
  await em.flush();
  const queue = new Queue(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  try {
    const event = {
      requestId: 'req-low-balance', userId: user.id, tokenId: 'token-1', channelId: 'c', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', endpoint: '/v1/chat/completions',
      stream: false, status: 'success', httpStatus: 200, promptTokens: 1, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false,
      cost: 6_000, reserved: 6_000, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: 1, clientIp: null, errorCode: null,
    };
    await queue.add(JOBS.billUsage, event, { jobId: usageJobId(event.requestId) });
    // The same event again under another job id: billed once, so notified once.
    await queue.add(JOBS.billUsage, event, { jobId: `${usageJobId(event.requestId)}-again` });
    const delivery = await until(() => received[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(1);
    const notification = JSON.parse(delivery.body) as NotificationJob;
    expect(notification).toMatchObject({ kind: 'balance.low', userId: user.id, details: { balanceBefore: 10_000, balanceAfter: 4_000 } });
    const signature = String(delivery.headers['x-nebulagate-signature']);
    const [timestamp, digest] = signature.replace('t=', '').split(',v1=');
    expect(digest).toBe(createHmac('sha256', SECRET).update(`${timestamp}.${delivery.body}`).digest('hex'));
  } finally {
    await queue.close();
  }
});

test('a webhook that refuses (4xx) is not retried', async () => {
  receiverStatus = 410;
  received.length = 0;
  const queue = new Queue(QUEUES.notifications, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  try {
    const job = await queue.add(JOBS.sendNotification, { id: 'refused-1', kind: 'plan.reset', userId: 'u', at: new Date().toISOString(), details: {} }, { jobId: 'refused-1', attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    await until(() => received[0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(1);
    expect(await job.getState()).toBe('failed');
  } finally {
    receiverStatus = 200;
    await queue.close();
  }
});
