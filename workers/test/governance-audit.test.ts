// The usage worker writes one audit record per governance hit, exactly once, with no prompt text unless the rule
// recorded an excerpt.
import { createTestDatabase, type TestDatabase } from '@nebulagate/testing';
import { AuditLog, hashPassword, openDatabase, User, type Database } from '@nebulagate/control-plane';
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
