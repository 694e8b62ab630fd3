// E-mailed notices through a real SMTP server (the testing sink): the user's address (set by an admin) gets one short
// mail in English and Chinese with the operators in Bcc, once per notice even when billing runs twice, a job is
// queued twice or the webhook beside it is retried; SMTP 4xx is retried, 5xx is not; no credential reaches a log.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BalanceAlert, hashPassword, openDatabase, RedisPublisher, Role, User, UserService, type Database } from '@nebulagate/control-plane';
import { JOBS, QUEUES, usageJobId, type NotificationJob } from '@nebulagate/schema';
import { createTestDatabase, startRedisServer, startSmtpSink, type RedisServerHandle, type SmtpSinkHandle, type TestDatabase } from '@nebulagate/testing';
import { startWorkers, type WorkersHandle } from '../src';
import { composeNotificationEmail, formatCredits, readEmailSettings } from '../src/jobs/notification-email';
import { startNotifications } from '../src/jobs/notification-jobs';

const SMTP_USER = 'mailer';
const SMTP_PASSWORD = 'smtp-Pa55word-never-logged';
const WEBHOOK_SECRET = 'notify-secret-0123456789';
const OPERATOR = 'ops@gateway.test';

let redisServer: RedisServerHandle;
let testDatabase: TestDatabase;
let database: Database;
let redis: Redis;
let sink: SmtpSinkHandle;
let workers: WorkersHandle;
let receiver: Server;
let webhookStatuses: number[] = [];
const webhookBodies: string[] = [];
const logged: string[] = [];
let stderrSpy: jest.SpyInstance;
let notificationsQueue: Queue;
let users: UserService;
let root: User;

beforeAll(async () => {
  stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  receiver = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      webhookBodies.push(Buffer.concat(parts).toString('utf8'));
      response.statusCode = webhookStatuses.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sink = await startSmtpSink({ username: SMTP_USER, password: SMTP_PASSWORD });
  [redisServer, testDatabase] = await Promise.all([startRedisServer(), createTestDatabase()]);
  database = await openDatabase(testDatabase.url);
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
  const email = readEmailSettings({ SMTP_URL: sink.url({ username: SMTP_USER, password: SMTP_PASSWORD }), SMTP_FROM: 'NebulaGate <noreply@gateway.test>', NOTIFY_EMAIL_TO: OPERATOR });
  workers = await startWorkers(
    {
      databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: 2, allowPrivateUpstreams: true, email,
      notifications: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: WEBHOOK_SECRET },
    },
    null,
  );
  notificationsQueue = new Queue(QUEUES.notifications, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  users = new UserService(new RedisPublisher(redis, database.orm, () => undefined));
  const em = database.orm.em.fork();
  root = em.create(User, { username: 'root', passwordHash: await hashPassword('password-123'), role: Role.ROOT });
  await em.flush();
});

afterAll(async () => {
  await notificationsQueue?.close();
  await workers?.close();
  redis?.disconnect();
  await database?.close();
  await redisServer?.stop();
  await testDatabase?.drop();
  await sink?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  stderrSpy?.mockRestore();
});

beforeEach(() => {
  sink.mails.length = 0;
  webhookBodies.length = 0;
  webhookStatuses = [];
});

async function until<T>(read: () => T | null | undefined | Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 700));
}

let userCounter = 0;
async function createUser(email: string | null, balance = 10_000): Promise<User> {
  userCounter += 1;
  const user = await users.createUser(database.orm.em.fork(), { user: root, ip: null }, { username: `mail-user-${userCounter}`, password: 'password-123', email });
  if (balance !== 0) await database.orm.em.fork().nativeUpdate(User, { id: user.id }, { balance });
  return user;
}

function notice(id: string, userId: string, kind: NotificationJob['kind'], details: NotificationJob['details']): NotificationJob {
  return { id, kind, userId, at: '2026-11-28T00:00:00.000Z', details };
}

function addJob(notification: NotificationJob, attempts = 4) {
  return notificationsQueue.add(JOBS.sendNotification, notification, { jobId: notification.id, attempts, backoff: { type: 'fixed', delay: 100 } });
}

describe('settings', () => {
  it('are off without an SMTP server, and refuse half a configuration', () => {
    expect(readEmailSettings({})).toBeNull();
    expect(() => readEmailSettings({ NOTIFY_EMAIL_TO: OPERATOR })).toThrow(/SMTP_URL or SMTP_HOST/);
    expect(() => readEmailSettings({ SMTP_HOST: 'mail.example.com' })).toThrow(/SMTP_FROM/);
    expect(() => readEmailSettings({ SMTP_URL: 'smtp://a@b.c', SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c' })).toThrow(/not both/);
    expect(() => readEmailSettings({ SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c', NOTIFY_EMAIL_TO: 'ops@example.com, not an address' })).toThrow(/NOTIFY_EMAIL_TO/);
    expect(() => readEmailSettings({ SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c', SMTP_PASSWORD: 'x' })).toThrow(/SMTP_USERNAME/);
  });

  it('read SMTP_URL (credentials decoded) and the SMTP_HOST form with the usual ports', () => {
    expect(readEmailSettings({ SMTP_URL: 'smtps://me%40example.com:p%40ss@mail.example.com', SMTP_FROM: 'NebulaGate <noreply@example.com>', NOTIFY_EMAIL_TO: 'a@example.com, b@example.com' })).toEqual({
      host: 'mail.example.com', port: 465, secure: true, auth: { user: 'me@example.com', pass: 'p@ss' }, from: 'NebulaGate <noreply@example.com>', operators: ['a@example.com', 'b@example.com'],
    });
    expect(readEmailSettings({ SMTP_HOST: 'mail.example.com', SMTP_USERNAME: 'me', SMTP_PASSWORD: 'pw', SMTP_SENDER_EMAIL: 'noreply@example.com' })).toMatchObject({
      host: 'mail.example.com', port: 587, secure: false, auth: { user: 'me', pass: 'pw' }, from: 'noreply@example.com', operators: [],
    });
    expect(readEmailSettings({ SMTP_HOST: 'mail.example.com', SMTP_PORT: '465', SMTP_FROM: 'noreply@example.com' })).toMatchObject({ port: 465, secure: true, auth: null });
  });

  it('never echo an SMTP_URL that may hold a password', () => {
    let message = '';
    try {
      readEmailSettings({ SMTP_URL: `http://user:${SMTP_PASSWORD}@mail.example.com`, SMTP_FROM: 'a@b.c' });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/SMTP_URL/);
    expect(message).not.toContain(SMTP_PASSWORD);
  });
});

test('credits read as dollars without losing a small balance', () => {
  expect([formatCredits(4_000), formatCredits(5_000_000), formatCredits(1_234_567), formatCredits(-500_000), formatCredits(0)]).toEqual(['$0.004', '$5.00', '$1.234567', '-$0.50', '$0.00']);
  // A plan period starting is webhook-only: it would mail every subscriber every period.
  expect(composeNotificationEmail(notice('n', 'u', 'plan.reset', {}), null)).toBeNull();
});

test('an admin sets a user\'s e-mail address; a malformed one is refused', async () => {
  const user = await createUser(null);
  const actor = { user: root, ip: null };
  await expect(users.updateUser(database.orm.em.fork(), actor, { id: user.id, email: 'not-an-address' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  await expect(users.updateUser(database.orm.em.fork(), actor, { id: user.id, email: 'ann <ann@example.com>' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect((await users.updateUser(database.orm.em.fork(), actor, { id: user.id, email: ' ann@example.com ' })).email).toBe('ann@example.com');
  expect((await database.orm.em.fork().findOneOrFail(User, { id: user.id })).email).toBe('ann@example.com');
  expect((await users.updateUser(database.orm.em.fork(), actor, { id: user.id, email: '' })).email).toBeNull();
});

test('billing that crosses the low-balance threshold mails the user once (operator in Bcc), in English and Chinese', async () => {
  const user = await createUser('alice@example.com');
  const em = database.orm.em.fork();
  em.create(BalanceAlert, { userId: user.id, threshold: 5_000 });
  await em.flush();
  const usageQueue = new Queue(QUEUES.usage, { connection: { url: redisServer.url, maxRetriesPerRequest: null } });
  try {
    const event = {
      requestId: `req-mail-${Date.now()}`, userId: user.id, tokenId: 'token-1', channelId: 'c', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', endpoint: '/v1/chat/completions',
      stream: false, status: 'success', httpStatus: 200, promptTokens: 1, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false,
      cost: 6_000, reserved: 6_000, snapshotVersion: 1, startedAt: Date.now(), durationMs: 1, firstByteMs: 1, clientIp: null, errorCode: null,
    };
    await usageQueue.add(JOBS.billUsage, event, { jobId: usageJobId(event.requestId) });
    // The same event again under another job id: billed once, so one notice, one mail.
    await usageQueue.add(JOBS.billUsage, event, { jobId: `${usageJobId(event.requestId)}-again` });
    await sink.waitForMails(1);
    await until(() => webhookBodies.length > 0);
    await settle();
    expect(sink.mails).toHaveLength(1);
    expect(webhookBodies).toHaveLength(1);
    const mail = sink.mails[0];
    expect(mail).toMatchObject({
      authenticatedAs: SMTP_USER,
      envelopeFrom: 'noreply@gateway.test',
      from: 'noreply@gateway.test',
      to: ['alice@example.com'],
      messageId: `<balance-low-${event.requestId}@notifications.nebulagate>`,
    });
    expect([...(mail?.envelopeTo ?? [])].sort()).toEqual(['alice@example.com', OPERATOR]);
    expect(mail?.subject).toBe('NebulaGate: low balance / 余额不足');
    expect(mail?.text).toContain(`The balance of NebulaGate account "${user.username}" is $0.004, below its alert threshold.`);
    expect(mail?.text).toContain(`NebulaGate 账户「${user.username}」的余额为 $0.004，已低于提醒阈值。`);
  } finally {
    await usageQueue.close();
  }
});

test('a notice queued twice is mailed once; a webhook retried beside it does not resend the mail', async () => {
  const user = await createUser('bob@example.com');
  const notification = notice(`plan-expiring-dup-${Date.now()}`, user.id, 'plan.expiring', { planId: 'p1', planName: 'Pro', endsAt: '2026-12-01T00:00:00.000Z' });
  // The webhook answers 503 first: the job fails once after the mail went out, and its retry posts the webhook only.
  webhookStatuses = [503];
  const job = await addJob(notification);
  await addJob(notification);
  await until(async () => (await job.getState()) === 'completed');
  await settle();
  expect(webhookBodies).toHaveLength(2);
  expect(sink.mails).toHaveLength(1);
  expect(sink.mails[0]?.to).toEqual(['bob@example.com']);
  expect(sink.mails[0]?.subject).toBe('NebulaGate: plan ending soon / 套餐即将到期');
  expect(sink.mails[0]?.text).toContain('The plan "Pro" of NebulaGate account');
  expect(sink.mails[0]?.text).toContain('ends on 2026-12-01 00:00 UTC');
  expect(sink.mails[0]?.text).toContain('的套餐「Pro」将于 2026-12-01 00:00 UTC 到期');
});

test('an SMTP server that says "try later" (451) gets the mail on a retry, once', async () => {
  const user = await createUser('carol@example.com');
  sink.refuseNext('data', 451);
  const refusalsBefore = sink.refusals;
  const job = await addJob(notice(`plan-expired-retry-${Date.now()}`, user.id, 'plan.expired', { planId: 'p1', planName: 'Pro', endsAt: '2026-12-01T00:00:00.000Z', expired: 250_000 }));
  await until(async () => (await job.getState()) === 'completed');
  await settle();
  expect(sink.refusals - refusalsBefore).toBe(1);
  expect(sink.mails).toHaveLength(1);
  expect(webhookBodies).toHaveLength(1);
  expect(sink.mails[0]?.subject).toBe('NebulaGate: plan ended / 套餐已到期');
  expect(sink.mails[0]?.text).toContain('the allowance left ($0.25) expired');
  expect(sink.mails[0]?.text).toContain('剩余额度（$0.25）已失效');
});

test('recipients refused for good (550) are not retried; the webhook still gets the notice', async () => {
  const user = await createUser('dave@example.com');
  // Both recipients (the user, the operator in Bcc) refused.
  sink.refuseNext('rcpt', 550, 2);
  const refusalsBefore = sink.refusals;
  const notification = notice(`balance-low-refused-${Date.now()}`, user.id, 'balance.low', { balanceBefore: 9_000, balanceAfter: 1_000 });
  const job = await addJob(notification);
  await until(async () => (await job.getState()) === 'failed');
  await settle();
  expect(sink.refusals - refusalsBefore).toBe(2);
  expect(sink.mails).toHaveLength(0);
  expect(webhookBodies).toHaveLength(1);
  expect((await notificationsQueue.getJob(notification.id))?.attemptsMade).toBe(1);
});

test('one recipient refused, the other accepted: sent once, not retried (a retry would mail the other twice)', async () => {
  const user = await createUser('frank@example.com');
  sink.refuseNext('rcpt', 550, 1);
  const notification = notice(`balance-low-partial-${Date.now()}`, user.id, 'balance.low', { balanceBefore: 9_000, balanceAfter: 1_000 });
  const job = await addJob(notification);
  await until(async () => (await job.getState()) === 'completed');
  await settle();
  expect(sink.mails).toHaveLength(1);
  expect(sink.mails[0]?.envelopeTo).toEqual([OPERATOR]);
  expect((await notificationsQueue.getJob(notification.id))?.attemptsMade).toBe(1);
});

test('a user without an address: the operators get the mail', async () => {
  const user = await createUser(null);
  await addJob(notice(`balance-low-ops-${Date.now()}`, user.id, 'balance.low', { balanceBefore: 9_000, balanceAfter: 1_000 }));
  await sink.waitForMails(1);
  await settle();
  expect(sink.mails).toHaveLength(1);
  expect(sink.mails[0]?.to).toEqual([OPERATOR]);
  expect(sink.mails[0]?.envelopeTo).toEqual([OPERATOR]);
  expect(sink.mails[0]?.text).toContain(`account "${user.username}"`);
});

test('wrong SMTP credentials fail the job for good without the password in any log or error', async () => {
  // The shared workers would compete for the queue: stop them first (close is idempotent).
  await workers.close();
  const user = await createUser('erin@example.com');
  const wrong = readEmailSettings({ SMTP_URL: sink.url({ username: SMTP_USER, password: `${SMTP_PASSWORD}-wrong` }), SMTP_FROM: 'noreply@gateway.test' });
  const lines: string[] = [];
  const notifications = await startNotifications(redisServer.url, null, false, (line) => lines.push(line), { email: wrong, orm: database.orm });
  try {
    const id = `balance-low-badauth-${Date.now()}`;
    await notifications.notify(notice(id, user.id, 'balance.low', { balanceBefore: 9_000, balanceAfter: 1_000 }));
    await until(async () => (await notificationsQueue.getJobState(id)) === 'failed');
    const failed = await notificationsQueue.getJob(id);
    if (!failed) throw new Error('job gone');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/smtp:\/\/127\.0\.0\.1:\d+ failed/);
    expect(sink.mails).toHaveLength(0);
    const everything = [failed.failedReason, ...(failed.stacktrace ?? []), ...lines, ...logged].join('\n');
    expect(everything).not.toContain(SMTP_PASSWORD);
  } finally {
    await notifications.close();
  }
});
