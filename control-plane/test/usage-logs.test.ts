import { openDatabase, UsageLog, UsageStatus, User, type Database } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let database: Database;
let rootSession: string;
let aliceSession: string;
let aliceId: string;
let bobId: string;

const USAGE = 'query ($first: Int, $after: String, $userId: ID) { usageLogs(first: $first, after: $after, userId: $userId) { edges { cursor node { requestId userId cost user { username } } } pageInfo { hasNextPage endCursor } } }';

interface UsagePage {
  usageLogs: { edges: Array<{ cursor: string; node: { requestId: string; userId: string; cost: number; user: { username: string } | null } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  for (const username of ['alice', 'bob']) {
    await harness.graphql(`mutation { createUser(input: {username: "${username}", password: "${username}-password"}) { user { id } } }`, {}, rootSession);
  }
  aliceSession = await harness.login('alice', 'alice-password');
  database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  const em = database.orm.em.fork();
  aliceId = (await em.findOneOrFail(User, { username: 'alice' })).id;
  bobId = (await em.findOneOrFail(User, { username: 'bob' })).id;
  const base = Date.parse('2025-01-01T00:00:00Z');
  // 7 rows for alice (two share a timestamp, so the id tie-break matters), 2 for bob.
  const rows = [
    ...Array.from({ length: 7 }, (_, index) => ({ userId: aliceId, requestId: `alice-${index}`, at: base + Math.min(index, 5) * 1000 })),
    { userId: bobId, requestId: 'bob-0', at: base + 500 },
    { userId: bobId, requestId: 'bob-1', at: base + 10_000 },
  ];
  for (const row of rows) {
    em.create(UsageLog, {
      requestId: row.requestId, userId: row.userId, tokenId: 'token', model: 'gpt-4o-mini', endpoint: '/v1/chat/completions',
      status: UsageStatus.SUCCESS, httpStatus: 200, cost: 10, createdAt: new Date(row.at),
    });
  }
  await em.flush();
});

afterAll(async () => {
  await database.close();
  await harness.stop();
});

async function allPages(session: string, first: number, userId?: string): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page += 1) {
    const result: { data?: UsagePage | null; errors?: unknown } = await harness.graphql<UsagePage>(USAGE, { first, after, userId }, session);
    expect(result.errors).toBeUndefined();
    const connection = result.data!.usageLogs;
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    seen.push(...connection.edges.map((edge) => edge.node.requestId));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return seen;
}

describe('usageLogs', () => {
  it('pages a user through their own logs, newest first, each row once', async () => {
    const seen = await allPages(aliceSession, 3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toMatch(/^alice-(5|6)$/);
    expect(seen.at(-1)).toBe('alice-0');
    expect(seen.every((requestId) => requestId.startsWith('alice-'))).toBe(true);
  });

  it('shows admins everything (with the user resolved), or one user with userId', async () => {
    const everything = await allPages(rootSession, 4);
    expect(everything).toHaveLength(9);
    expect(everything[0]).toBe('bob-1');
    expect(await allPages(rootSession, 10, bobId)).toEqual(['bob-1', 'bob-0']);
    const page = await harness.graphql<UsagePage>(USAGE, { first: 1 }, rootSession);
    expect(page.data?.usageLogs.edges[0]?.node.user?.username).toBe('bob');
  });

  it('forbids a user to read someone else and rejects bad paging arguments', async () => {
    expect(errorCode(await harness.graphql(USAGE, { userId: bobId }, aliceSession))).toBe('FORBIDDEN');
    expect(errorCode(await harness.graphql(USAGE, { first: 0 }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(USAGE, { first: 5000 }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(USAGE, { after: 'garbage' }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(aliceId).not.toBe(bobId);
  });
});
