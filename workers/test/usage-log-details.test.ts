// The usage log keeps what the event carried beyond tokens and cost: the attempt chain, the cost breakdown, governance
// tags and the UTC day charts group on.
import { createTestDatabase, type TestDatabase } from '@nebulagate/testing';
import { hashPassword, openDatabase, UsageLog, User, type Database } from '@nebulagate/control-plane';
import { billUsage } from '../src';

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.url);
});

afterAll(async () => {
  await database.close();
  await testDatabase.drop();
});

test('attempts, cost breakdown, tags and day land on the log row', async () => {
  const em = database.orm.em.fork();
  const user = em.create(User, { username: 'detailed', passwordHash: await hashPassword('password-123'), balance: 1_000 });
  await em.flush();
  const startedAt = Date.parse('2026-11-20T23:59:30Z');
  await billUsage(
    {
      requestId: 'req-details', userId: user.id, tokenId: 'token-1', channelId: 'channel-b', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini',
      endpoint: '/v1/chat/completions', stream: true, status: 'success', httpStatus: 200, promptTokens: 10, completionTokens: 5, cacheReadTokens: 0,
      cacheWriteTokens: 0, estimated: false, cost: 60, reserved: 100, snapshotVersion: 3, startedAt, durationMs: 40, firstByteMs: 20, clientIp: null,
      errorCode: null,
      attempts: [
        { channelId: 'channel-a', keyId: 'k1', status: 500, errorCode: 'upstream_error', durationMs: 12 },
        { channelId: 'channel-b', keyId: 'k2', status: 200, errorCode: null, durationMs: 25 },
      ],
      costBreakdown: { input: 20, output: 40, cacheRead: 0, cacheWrite: 0, perCall: 0 },
      tags: ['legal'],
    },
    { orm: database.orm },
  );
  const log = await database.orm.em.fork().findOneOrFail(UsageLog, { requestId: 'req-details' });
  expect(log.attempts.map((attempt) => [attempt.channelId, attempt.status])).toEqual([['channel-a', 500], ['channel-b', 200]]);
  expect(log.costBreakdown).toEqual({ input: 20, output: 40, cacheRead: 0, cacheWrite: 0, perCall: 0 });
  expect(log.tags).toEqual(['legal']);
  expect(log.day).toBe('2026-11-20');
});
