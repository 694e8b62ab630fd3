// The usage log keeps what the event carried beyond tokens and cost: the attempt chain, the cost breakdown, governance
// tags and the UTC day charts group on; and the worker writes one audit record per governance hit, exactly once, with
// no prompt text unless the rule recorded an excerpt.
import { createTestDatabase, type TestDatabase } from '@nebulagate/testing';
import { AuditLog, hashPassword, openDatabase, UsageLog, User, type Database } from '@nebulagate/control-plane';
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

test('a blocked request and a masked one leave one audit row per hit, even when the job runs twice', async () => {
  const em = database.orm.em.fork();
  const user = em.create(User, { username: 'governed', passwordHash: await hashPassword('password-123'), balance: 0 });
  await em.flush();
  const base = {
    userId: user.id, tokenId: 'token-1', channelId: null, model: 'gpt-4o-mini', upstreamModel: null, endpoint: '/v1/chat/completions',
    stream: false, promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, estimated: false, cost: 0, reserved: 0,
    snapshotVersion: 1, startedAt: Date.now(), durationMs: 3, firstByteMs: null, clientIp: '10.0.0.7',
  };
  const blocked = { ...base, requestId: 'req-gov-block', status: 'error', httpStatus: 400, errorCode: 'content_blocked', governanceHits: [{ ruleId: 'rule-block', action: 'block', excerpt: 'bomb' }] };
  const masked = {
    ...base, requestId: 'req-gov-mask', status: 'success', httpStatus: 200, errorCode: null,
    governanceHits: [{ ruleId: 'rule-mask', action: 'mask', excerpt: null }, { ruleId: 'rule-tag', action: 'tag', excerpt: null }],
  };
  await billUsage(blocked, { orm: database.orm });
  expect(await billUsage(blocked, { orm: database.orm })).toEqual({ outcome: 'already-billed', requestId: 'req-gov-block' });
  await billUsage(masked, { orm: database.orm });

  const rows = await database.orm.em.fork().find(AuditLog, { action: { $like: 'governance.%' } }, { orderBy: { target: 'asc' } });
  expect(rows.map((row) => [row.action, row.target])).toEqual([
    ['governance.block', 'rule-block'],
    ['governance.mask', 'rule-mask'],
    ['governance.tag', 'rule-tag'],
  ]);
  expect(rows[0]?.after).toMatchObject({ requestId: 'req-gov-block', excerpt: 'bomb', tokenId: 'token-1' });
  expect(rows[1]?.after).toMatchObject({ requestId: 'req-gov-mask', excerpt: null });
  expect(rows[0]?.ip).toBe('10.0.0.7');
});
