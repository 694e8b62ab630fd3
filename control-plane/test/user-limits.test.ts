// Per-key and per-user rate caps over GraphQL, and user administration (role, group, status, password): validated,
// audited, role changes reserved to root, and the records the data plane reads updated before the mutation returns.
import { redisKeys, tokenRecordSchema, userRecordSchema } from '@nebulagate/schema';
import { createHash } from 'node:crypto';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;

const UPDATE_USER = 'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id role group status limits { requestsPerMinute tokensPerMinute concurrentRequests } } } }';
const SET_TOKEN_LIMITS = 'mutation ($input: SetTokenLimitsInput!) { setTokenLimits(input: $input) { token { id limits { requestsPerMinute tokensPerMinute concurrentRequests } } } }';

async function createUser(username: string, role = 'USER'): Promise<string> {
  const created = await harness.graphql<{ createUser: { user: { id: string } } }>(
    `mutation { createUser(input: {username: "${username}", password: "${username}-password", role: ${role}}) { user { id } } }`,
    {},
    rootSession,
  );
  return created.data?.createUser.user.id ?? '';
}

async function userRecord(userId: string) {
  return userRecordSchema.parse(JSON.parse((await harness.redis.get(redisKeys.user(userId))) ?? 'null'));
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
});

afterAll(async () => {
  await harness.stop();
});

test("a key's owner sets its rate caps; the data plane's token record carries them; bad caps are refused", async () => {
  await createUser('keyowner');
  const session = await harness.login('keyowner', 'keyowner-password');
  const created = await harness.graphql<{ createToken: { token: { id: string }; key: string } }>('mutation { createToken(input: {name: "ci"}) { token { id } key } }', {}, session);
  const tokenId = created.data?.createToken.token.id ?? '';
  const key = created.data?.createToken.key ?? '';
  const result = await harness.graphql(SET_TOKEN_LIMITS, { input: { id: tokenId, limits: { requestsPerMinute: 30, concurrentRequests: 2 } } }, session);
  expect(result.errors).toBeUndefined();
  const record = tokenRecordSchema.parse(JSON.parse((await harness.redis.get(redisKeys.token(createHash('sha256').update(key).digest('hex')))) ?? 'null'));
  expect(record.limits).toEqual({ requestsPerMinute: 30, tokensPerMinute: null, concurrentRequests: 2 });
  expect(errorCode(await harness.graphql(SET_TOKEN_LIMITS, { input: { id: tokenId, limits: { requestsPerMinute: 0 } } }, session))).toBe('BAD_USER_INPUT');
  // Someone else's key reads as missing.
  await createUser('stranger');
  const stranger = await harness.login('stranger', 'stranger-password');
  expect(errorCode(await harness.graphql(SET_TOKEN_LIMITS, { input: { id: tokenId, limits: {} } }, stranger))).toBe('NOT_FOUND');
});

test('an admin sets a user group, caps and status; limits null returns to the group defaults; a disabled user is out at once', async () => {
  const userId = await createUser('managed');
  const session = await harness.login('managed', 'managed-password');
  const updated = await harness.graphql<{ updateUser: { user: Record<string, unknown> } }>(
    UPDATE_USER,
    { input: { id: userId, group: 'vip', limits: { tokensPerMinute: 100000 } } },
    rootSession,
  );
  expect(updated.data?.updateUser.user).toMatchObject({ group: 'vip', limits: { requestsPerMinute: null, tokensPerMinute: 100000, concurrentRequests: null } });
  expect(await userRecord(userId)).toMatchObject({ group: 'vip', limits: { tokensPerMinute: 100000 } });

  await harness.graphql(UPDATE_USER, { input: { id: userId, limits: null } }, rootSession);
  expect((await userRecord(userId)).limits).toBeNull();

  await harness.graphql(UPDATE_USER, { input: { id: userId, status: 'DISABLED' } }, rootSession);
  expect((await userRecord(userId)).status).toBe('disabled');
  // Its session ended with the disable.
  expect((await harness.graphql<{ me: { id: string } | null }>('{ me { id } }', {}, session)).data?.me ?? null).toBeNull();
});

test('roles: only root changes them, never its own; admins cannot touch admins; a password change ends sessions', async () => {
  const adminId = await createUser('deputy', 'ADMIN');
  const userId = await createUser('promoted');
  const adminSession = await harness.login('deputy', 'deputy-password');
  expect(errorCode(await harness.graphql(UPDATE_USER, { input: { id: userId, role: 'ADMIN' } }, adminSession))).toBe('FORBIDDEN');
  expect(errorCode(await harness.graphql(UPDATE_USER, { input: { id: adminId, group: 'x' } }, adminSession))).toBe('FORBIDDEN');
  const rootId = (await harness.graphql<{ me: { id: string } }>('{ me { id } }', {}, rootSession)).data?.me.id ?? '';
  expect(errorCode(await harness.graphql(UPDATE_USER, { input: { id: rootId, role: 'USER' } }, rootSession))).toBe('BAD_USER_INPUT');
  const promoted = await harness.graphql<{ updateUser: { user: { role: string } } }>(UPDATE_USER, { input: { id: userId, role: 'ADMIN' } }, rootSession);
  expect(promoted.data?.updateUser.user.role).toBe('ADMIN');

  const userSession = await harness.login('promoted', 'promoted-password');
  await harness.graphql(UPDATE_USER, { input: { id: userId, password: 'a-brand-new-password' } }, rootSession);
  expect((await harness.graphql<{ me: { id: string } | null }>('{ me { id } }', {}, userSession)).data?.me ?? null).toBeNull();
  await expect(harness.login('promoted', 'a-brand-new-password')).resolves.toBeTruthy();
  expect(errorCode(await harness.graphql(UPDATE_USER, { input: { id: userId, password: 'short' } }, rootSession))).toBe('BAD_USER_INPUT');
});

test("a key's IP allow-list (owner) and routing group (admins only) reach the data plane's token record", async () => {
  const ownerId = await createUser('netowner');
  const session = await harness.login('netowner', 'netowner-password');
  const created = await harness.graphql<{ createToken: { token: { id: string }; key: string } }>('mutation { createToken(input: {name: "office"}) { token { id } key } }', {}, session);
  const tokenId = created.data?.createToken.token.id ?? '';
  const keyHash = createHash('sha256').update(created.data?.createToken.key ?? '').digest('hex');
  const ACCESS = 'mutation ($input: UpdateTokenAccessInput!) { updateTokenAccess(input: $input) { token { id group ipAllowList } } }';
  const record = async () => tokenRecordSchema.parse(JSON.parse((await harness.redis.get(redisKeys.token(keyHash))) ?? 'null'));

  const restricted = await harness.graphql(ACCESS, { input: { id: tokenId, ipAllowList: ['10.0.0.0/8', ' 2001:db8::1 '] } }, session);
  expect(restricted.errors).toBeUndefined();
  expect((await record()).ipAllowList).toEqual(['10.0.0.0/8', '2001:db8::1']);
  for (const bad of [['10.0.0.0/33'], ['not-an-ip'], ['10.0.0.1/8/1'], []]) {
    expect(errorCode(await harness.graphql(ACCESS, { input: { id: tokenId, ipAllowList: bad } }, session))).toBe('BAD_USER_INPUT');
  }
  expect(errorCode(await harness.graphql(ACCESS, { input: { id: tokenId, group: 'vip' } }, session))).toBe('FORBIDDEN');
  expect((await record()).group).toBeNull();

  await harness.graphql(ACCESS, { input: { id: tokenId, group: 'vip', ipAllowList: null } }, rootSession);
  expect(await record()).toMatchObject({ group: 'vip', ipAllowList: null, userId: ownerId });
});
