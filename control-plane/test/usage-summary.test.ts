// Daily usage per model for charts: sums match the rows, errors are counted, users see only their own, the range is
// validated; the migration's backfill of `day` matches what the worker writes.
import { openDatabase, UsageLog, UsageStatus, User, type Database } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let database: Database;
let rootSession: string;
let carolSession: string;
let carolId: string;

const SUMMARY = 'query ($input: UsageSummaryInput!) { usageSummary(input: $input) { day model requests errors promptTokens completionTokens cost } }';
const LOGS = '{ usageLogs(first: 10) { edges { node { requestId attempts { channelId status } costBreakdown { input output } tags } } } }';

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  for (const username of ['carol', 'dave']) {
    await harness.graphql(`mutation { createUser(input: {username: "${username}", password: "${username}-password"}) { user { id } } }`, {}, rootSession);
  }
  carolSession = await harness.login('carol', 'carol-password');
  database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  const em = database.orm.em.fork();
  carolId = (await em.findOneOrFail(User, { username: 'carol' })).id;
  const daveId = (await em.findOneOrFail(User, { username: 'dave' })).id;
  const rows = [
    { userId: carolId, model: 'gpt-4o', day: '2026-11-01', prompt: 100, completion: 10, cost: 1_000, status: UsageStatus.SUCCESS },
    { userId: carolId, model: 'gpt-4o', day: '2026-11-01', prompt: 50, completion: 5, cost: 500, status: UsageStatus.ERROR },
    { userId: carolId, model: 'claude', day: '2026-11-02', prompt: 7, completion: 3, cost: 70, status: UsageStatus.SUCCESS },
    { userId: daveId, model: 'gpt-4o', day: '2026-11-01', prompt: 1, completion: 1, cost: 9, status: UsageStatus.SUCCESS },
    { userId: carolId, model: 'gpt-4o', day: '2026-10-31', prompt: 1, completion: 1, cost: 1, status: UsageStatus.SUCCESS },
  ];
  rows.forEach((row, index) => {
    em.create(UsageLog, {
      requestId: `summary-${index}`, userId: row.userId, tokenId: 'token', model: row.model, endpoint: '/v1/chat/completions', status: row.status,
      httpStatus: row.status === UsageStatus.SUCCESS ? 200 : 502, promptTokens: row.prompt, completionTokens: row.completion, cost: row.cost,
      createdAt: new Date(`${row.day}T12:00:00Z`), day: row.day,
      attempts: [{ channelId: 'channel-a', keyId: null, status: 200, errorCode: null, durationMs: 5 }], tags: index === 0 ? ['legal'] : [],
      costBreakdown: { input: 600, output: 400, cacheRead: 0, cacheWrite: 0, perCall: 0 },
    });
  });
  await em.flush();
});

afterAll(async () => {
  await database.close();
  await harness.stop();
});

test('an admin sees everyone, grouped by day and model, inside the range', async () => {
  const result = await harness.graphql<{ usageSummary: unknown[] }>(SUMMARY, { input: { from: '2026-11-01', to: '2026-11-02' } }, rootSession);
  expect(result.errors).toBeUndefined();
  expect(result.data?.usageSummary).toEqual([
    { day: '2026-11-01', model: 'gpt-4o', requests: 3, errors: 1, promptTokens: 151, completionTokens: 16, cost: 1_509 },
    { day: '2026-11-02', model: 'claude', requests: 1, errors: 0, promptTokens: 7, completionTokens: 3, cost: 70 },
  ]);
});

test('a user sees only their own, and may not ask for someone else', async () => {
  const own = await harness.graphql<{ usageSummary: Array<{ requests: number }> }>(SUMMARY, { input: { from: '2026-11-01', to: '2026-11-01' } }, carolSession);
  expect(own.data?.usageSummary).toEqual([{ day: '2026-11-01', model: 'gpt-4o', requests: 2, errors: 1, promptTokens: 150, completionTokens: 15, cost: 1_500 }]);
  expect(errorCode(await harness.graphql(SUMMARY, { input: { from: '2026-11-01', to: '2026-11-01', userId: 'someone-else' } }, carolSession))).toBe('FORBIDDEN');
});

test.each([
  ['a malformed day', { from: '2026-11-1', to: '2026-11-02' }],
  ['from after to', { from: '2026-11-03', to: '2026-11-02' }],
  ['more than a year', { from: '2024-01-01', to: '2026-01-01' }],
])('refuses %s', async (_name, input) => {
  expect(errorCode(await harness.graphql(SUMMARY, { input }, rootSession))).toBe('BAD_USER_INPUT');
});

test('log rows expose attempts, cost breakdown and tags', async () => {
  const result = await harness.graphql<{ usageLogs: { edges: Array<{ node: { requestId: string; tags: string[] } }> } }>(LOGS, {}, carolSession);
  const first = result.data?.usageLogs.edges.find((edge) => edge.node.requestId === 'summary-0')?.node;
  expect(first).toEqual({ requestId: 'summary-0', attempts: [{ channelId: 'channel-a', status: 200 }], costBreakdown: { input: 600, output: 400 }, tags: ['legal'] });
});
