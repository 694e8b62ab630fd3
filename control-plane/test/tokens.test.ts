import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisChannels, redisKeys, tokenRecordSchema, NO_LIMITS } from '@nebulagate/schema';
import { errorCode, eventually, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;
let aliceSession: string;
let bobSession: string;

const CREATE_TOKEN = 'mutation ($input: CreateTokenInput!) { createToken(input: $input) { key token { id name keyPrefix status expiresAt models userId } } }';
const LIST_TOKENS = 'query ($userId: ID) { tokens(userId: $userId) { edges { node { id name userId } } } }';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  for (const username of ['alice', 'bob']) {
    await harness.graphql(`mutation { createUser(input: {username: "${username}", password: "${username}-password"}) { user { id } } }`, {}, rootSession);
  }
  aliceSession = await harness.login('alice', 'alice-password');
  bobSession = await harness.login('bob', 'bob-password');
});

afterAll(async () => {
  await harness.stop();
});

describe('API tokens', () => {
  it('returns the key once and stores only sha256(key) in Redis and SQL', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await harness.graphql<{ createToken: { key: string; token: { id: string; keyPrefix: string; userId: string; status: string; models: string[] } } }>(
      CREATE_TOKEN, { input: { name: 'laptop', expiresAt, models: ['gpt-4o-mini'] } }, aliceSession,
    );
    expect(created.errors).toBeUndefined();
    const { key, token } = created.data!.createToken;
    expect(key).toMatch(/^sk-ng-[A-Za-z0-9]{48}$/);
    expect(key.startsWith(token.keyPrefix)).toBe(true);
    expect(token.status).toBe('ACTIVE');

    const record = tokenRecordSchema.parse(JSON.parse((await harness.redis.get(redisKeys.token(sha256(key)))) ?? 'null'));
    expect(record).toEqual({ id: token.id, userId: token.userId, name: 'laptop', status: 'active', expiresAt: Date.parse(expiresAt), models: ['gpt-4o-mini'], ipAllowList: null, group: null, quotaLimited: false, limits: NO_LIMITS });

    const listed = await harness.graphql(LIST_TOKENS, {}, aliceSession);
    expect(JSON.stringify(listed)).not.toContain(key);
    const { openDatabase } = await import('../src');
    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      const rows = await database.orm.em.fork().getConnection().execute('select * from api_tokens');
      expect(JSON.stringify(rows)).not.toContain(key);
      expect(JSON.stringify(rows)).toContain(sha256(key));
    } finally {
      await database.close();
    }
  });

  it('shows users only their own tokens; admins may ask for anyone', async () => {
    await harness.graphql(CREATE_TOKEN, { input: { name: 'bob-cli' } }, bobSession);
    const alice = await harness.graphql<{ tokens: { edges: Array<{ node: { name: string; userId: string } }> } }>(LIST_TOKENS, {}, aliceSession);
    expect(alice.data?.tokens.edges.map((edge) => edge.node.name)).toEqual(['laptop']);
    const bob = await harness.graphql<{ tokens: { edges: Array<{ node: { name: string; userId: string } }> } }>(LIST_TOKENS, {}, bobSession);
    expect(bob.data?.tokens.edges.map((edge) => edge.node.name)).toEqual(['bob-cli']);
    const bobId = bob.data?.tokens.edges[0]?.node.userId;
    expect(errorCode(await harness.graphql(LIST_TOKENS, { userId: bobId }, aliceSession))).toBe('FORBIDDEN');
    const asAdmin = await harness.graphql<{ tokens: { edges: Array<{ node: { name: string } }> } }>(LIST_TOKENS, { userId: bobId }, rootSession);
    expect(asAdmin.data?.tokens.edges.map((edge) => edge.node.name)).toEqual(['bob-cli']);
  });

  it('revoke publishes an invalidation and the record says revoked; others cannot revoke it', async () => {
    const created = await harness.graphql<{ createToken: { key: string; token: { id: string } } }>(CREATE_TOKEN, { input: { name: 'to-revoke' } }, aliceSession);
    const { key, token } = created.data!.createToken;
    expect(errorCode(await harness.graphql('mutation ($id: ID!) { revokeToken(input: {id: $id}) { token { status } } }', { id: token.id }, bobSession))).toBe('NOT_FOUND');

    const subscriber = new Redis(harness.redisServer.url);
    const messages: string[] = [];
    await subscriber.subscribe(redisChannels.invalidate);
    subscriber.on('message', (_channel, message) => messages.push(message));
    try {
      const revoked = await harness.graphql<{ revokeToken: { token: { status: string } } }>('mutation ($id: ID!) { revokeToken(input: {id: $id}) { token { status } } }', { id: token.id }, aliceSession);
      expect(revoked.data?.revokeToken.token.status).toBe('REVOKED');
      const record = tokenRecordSchema.parse(JSON.parse((await harness.redis.get(redisKeys.token(sha256(key)))) ?? 'null'));
      expect(record.status).toBe('revoked');
      const message = await eventually(async () => messages.find((candidate) => candidate.includes(sha256(key))), 'the invalidation message');
      expect(JSON.parse(message)).toEqual({ kind: 'token', id: sha256(key) });
    } finally {
      subscriber.disconnect();
    }
  });

  it('answers bad token input with BAD_USER_INPUT', async () => {
    expect(errorCode(await harness.graphql(CREATE_TOKEN, { input: { name: '' } }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(CREATE_TOKEN, { input: { name: 'old', expiresAt: '2001-01-01T00:00:00Z' } }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(CREATE_TOKEN, { input: { name: 'x', expiresAt: 'tomorrow' } }, aliceSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(CREATE_TOKEN, { input: { name: 'x' } }))).toBe('UNAUTHENTICATED');
  });
});
