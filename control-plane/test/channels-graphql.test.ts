// Channel management over GraphQL: CRUD, validation codes, per-key status, batch status, snapshot contents, and the
// SSRF guard of testChannel (this control plane does NOT allow private upstreams).
import { channelKeyId, openSecret, redisKeys, sealSecret, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { AuditLog, Channel, openDatabase, type Database } from '../src';
import { CRYPTO_SECRET, errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let database: Database;
let mock: MockProvider;
let rootSession: string;
let userSession: string;

const KEY_A = 'sk-alpha-secret-key-000000aaaa';
const KEY_B = 'sk-bravo-secret-key-000000bbbb';
const KEY_C = 'sk-charlie-secret-key-0000cccc';
const ALL_KEYS = [KEY_A, KEY_B, KEY_C];

const CHANNEL_FIELDS = `id name type baseUrl status models groups tags priority weight keySelection modelMapping parameterOverrides
  headerOverrides statusCodeMapping keyCount keyHint limits { requestsPerMinute tokensPerMinute concurrentRequests }
  keys { id hint status }
  health { status autoDisabled lastCheckedAt latencyMs consecutiveFailures consecutiveSuccesses balance { amount currency checkedAt } history { at outcome httpStatus latencyMs message } }`;
const CREATE = `mutation ($input: CreateChannelInput!) { createChannel(input: $input) { channel { ${CHANNEL_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateChannelInput!) { updateChannel(input: $input) { channel { ${CHANNEL_FIELDS} } } }`;
const SET_KEY = `mutation ($input: SetChannelKeyStatusInput!) { setChannelKeyStatus(input: $input) { channel { ${CHANNEL_FIELDS} } } }`;
const BATCH = 'mutation ($input: SetChannelsStatusInput!) { setChannelsStatus(input: $input) { count channels { id status } } }';
const TEST = 'mutation ($input: TestChannelInput!) { testChannel(input: $input) { ok status latencyMs message model } }';

interface ChannelView {
  id: string;
  status: string;
  keyCount: number;
  keyHint: string;
  tags: string[];
  keySelection: string;
  keys: Array<{ id: string; hint: string; status: string }>;
  health: { status: string; autoDisabled: boolean; history: unknown[] };
  [field: string]: unknown;
}

async function currentSnapshot(): Promise<Snapshot> {
  const raw = await harness.redis.get(redisKeys.snapshotCurrent);
  if (!raw) throw new Error('no snapshot in Redis');
  return snapshotSchema.parse(JSON.parse(raw));
}

function baseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'main', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: 'sk-some-key-123456789', models: ['gpt-4o-mini'], ...overrides };
}

async function create(overrides: Record<string, unknown> = {}): Promise<ChannelView> {
  const result = await harness.graphql<{ createChannel: { channel: ChannelView } }>(CREATE, { input: baseInput(overrides) }, rootSession);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createChannel.channel;
}

/** Every response body this test saw, to prove no key ever left the server. */
const responses: string[] = [];

beforeAll(async () => {
  harness = await startHarness();
  const graphql = harness.graphql;
  harness.graphql = async <T>(query: string, variables?: Record<string, unknown>, session?: string | null) => {
    const result = await graphql<T>(query, variables, session);
    responses.push(JSON.stringify(result));
    return result;
  };
  database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  mock = await startMockProvider();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  await harness.graphql('mutation { createUser(input: {username: "plain", password: "plain-password"}) { user { id } } }', {}, rootSession);
  userSession = await harness.login('plain', 'plain-password');
});

afterAll(async () => {
  await mock.close();
  await database.close();
  await harness.stop();
});

describe('createChannel', () => {
  it('takes keys as a list, seals each separately, shows only hints, and compiles every field into the snapshot before returning', async () => {
    const channel = await create({
      name: 'multi', keys: [`${KEY_A},${KEY_B}`, KEY_C], models: ['gpt-4o-mini', 'gpt-4o'], modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      groups: ['default', 'vip'], tags: ['eu', 'primary'], priority: 7, weight: 4, keySelection: 'ROUND_ROBIN',
      parameterOverrides: { temperature: 0.2, user: null }, headerOverrides: { 'X-Org': 'acme' }, statusCodeMapping: { '400': 500 },
      limits: { requestsPerMinute: 60, tokensPerMinute: 100000, concurrentRequests: 4 },
    });
    expect(channel).toMatchObject({
      keyCount: 3, keyHint: 'sk-…aaaa', tags: ['eu', 'primary'], keySelection: 'ROUND_ROBIN', priority: 7, weight: 4,
      headerOverrides: { 'x-org': 'acme' }, statusCodeMapping: { '400': 500 }, parameterOverrides: { temperature: 0.2, user: null },
      limits: { requestsPerMinute: 60, tokensPerMinute: 100000, concurrentRequests: 4 },
      health: { status: 'UNKNOWN', autoDisabled: false, history: [], balance: null },
    });
    expect(channel.keys).toEqual([
      { id: channelKeyId(KEY_A), hint: 'sk-…aaaa', status: 'ENABLED' },
      { id: channelKeyId(KEY_B), hint: 'sk-…bbbb', status: 'ENABLED' },
      { id: channelKeyId(KEY_C), hint: 'sk-…cccc', status: 'ENABLED' },
    ]);

    // No wait: the mutation returned only after the snapshot reached Redis.
    const compiled = (await currentSnapshot()).channels[channel.id];
    expect(compiled).toMatchObject({
      keyIds: ALL_KEYS.map(channelKeyId), keySelection: 'round-robin', models: ['gpt-4o-mini', 'gpt-4o'], modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      parameterOverrides: { temperature: 0.2, user: null }, headerOverrides: { 'x-org': 'acme' }, statusCodeMapping: { '400': 500 },
      limits: { requestsPerMinute: 60, tokensPerMinute: 100000, concurrentRequests: 4 }, tags: ['eu', 'primary'], groups: ['default', 'vip'], priority: 7, weight: 4,
    });
    const sealed = compiled?.sealedKeys ?? [];
    expect(new Set(sealed).size).toBe(3);
    expect(sealed.map((entry) => openSecret(entry, CRYPTO_SECRET))).toEqual(ALL_KEYS);
    expect((await currentSnapshot()).routes.vip?.['gpt-4o']).toEqual([{ priority: 7, channels: [{ channelId: channel.id, weight: 4 }] }]);
  });

  it('answers invalid settings with BAD_USER_INPUT', async () => {
    const cases: Array<Record<string, unknown>> = [
      { headerOverrides: { Authorization: 'Bearer x' } },
      { headerOverrides: { 'x-api-key': 'x' } },
      { headerOverrides: { 'x-ok': 'line\r\nbreak' } },
      { headerOverrides: { 'bad header': 'x' } },
      { parameterOverrides: { model: 'other' } },
      { statusCodeMapping: { abc: 500 } },
      { statusCodeMapping: { '400': 999 } },
      { limits: { requestsPerMinute: 0 } },
      { limits: { concurrentRequests: -3 } },
      { tags: [' '] },
      { modelMapping: { a: 5 } },
      { weight: -1 },
      { keys: [] },
      { keys: [' ,\n'] },
      { name: '' },
      { groups: [] },
      { baseUrl: 'http://127.0.0.1:8080/v1' },
      { type: 'nope' },
    ];
    for (const overrides of cases) {
      const result = await harness.graphql(CREATE, { input: baseInput(overrides) }, rootSession);
      expect({ overrides, code: errorCode(result) }).toEqual({ overrides, code: 'BAD_USER_INPUT' });
    }
  });

  it('is FORBIDDEN for non-admins and UNAUTHENTICATED without a session', async () => {
    const channel = await create({ name: 'guarded' });
    const attempts = [
      harness.graphql(CREATE, { input: baseInput() }, userSession),
      harness.graphql(UPDATE, { input: { id: channel.id, name: 'x' } }, userSession),
      harness.graphql('mutation ($id: ID!) { deleteChannel(input: {id: $id}) { id } }', { id: channel.id }, userSession),
      harness.graphql(SET_KEY, { input: { channelId: channel.id, keyId: channel.keys[0]?.id, enabled: false } }, userSession),
      harness.graphql(BATCH, { input: { ids: [channel.id], status: 'DISABLED' } }, userSession),
      harness.graphql(TEST, { input: { id: channel.id } }, userSession),
      harness.graphql('{ channels { edges { node { id keys { id } } } } }', {}, userSession),
    ];
    for (const result of await Promise.all(attempts)) expect(errorCode(result)).toBe('FORBIDDEN');
    expect(errorCode(await harness.graphql(CREATE, { input: baseInput() }))).toBe('UNAUTHENTICATED');
  });
});

describe('updateChannel and deleteChannel', () => {
  it('updates fields, keeps per-key status across a key list edit, and NOT_FOUNDs unknown ids', async () => {
    const channel = await create({ name: 'editable', keys: `${KEY_A}\n${KEY_B}` });
    await harness.graphql(SET_KEY, { input: { channelId: channel.id, keyId: channelKeyId(KEY_B), enabled: false } }, rootSession);
    const updated = await harness.graphql<{ updateChannel: { channel: ChannelView } }>(UPDATE, {
      input: { id: channel.id, keys: [KEY_B, KEY_C], tags: ['batch-me'], keySelection: 'RANDOM', weight: 9, limits: { requestsPerMinute: 5 } },
    }, rootSession);
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateChannel.channel).toMatchObject({
      keyCount: 2, keyHint: 'sk-…bbbb', tags: ['batch-me'], weight: 9, limits: { requestsPerMinute: 5, tokensPerMinute: null, concurrentRequests: null },
      keys: [{ id: channelKeyId(KEY_B), hint: 'sk-…bbbb', status: 'DISABLED' }, { id: channelKeyId(KEY_C), hint: 'sk-…cccc', status: 'ENABLED' }],
    });
    const added = await harness.graphql<{ updateChannel: { channel: ChannelView } }>(UPDATE, { input: { id: channel.id, addKeys: KEY_A, removeKeyIds: [channelKeyId(KEY_C)] } }, rootSession);
    expect(added.data?.updateChannel.channel.keys.map((key) => key.id)).toEqual([channelKeyId(KEY_B), channelKeyId(KEY_A)]);

    const missing = await harness.graphql(UPDATE, { input: { id: '00000000-0000-0000-0000-000000000000', name: 'x' } }, rootSession);
    expect(errorCode(missing)).toBe('NOT_FOUND');
    const unknownKey = await harness.graphql(UPDATE, { input: { id: channel.id, removeKeyIds: ['0123456789abcdef'] } }, rootSession);
    expect(errorCode(unknownKey)).toBe('NOT_FOUND');
    const badHeader = await harness.graphql(UPDATE, { input: { id: channel.id, headerOverrides: { 'proxy-authorization': 'x' } } }, rootSession);
    expect(errorCode(badHeader)).toBe('BAD_USER_INPUT');

    const deleted = await harness.graphql('mutation ($id: ID!) { deleteChannel(input: {id: $id}) { id } }', { id: channel.id }, rootSession);
    expect(deleted.errors).toBeUndefined();
    expect((await currentSnapshot()).channels[channel.id]).toBeUndefined();
    expect(errorCode(await harness.graphql('mutation ($id: ID!) { deleteChannel(input: {id: $id}) { id } }', { id: channel.id }, rootSession))).toBe('NOT_FOUND');
  });

  it('audits every channel mutation without key material', async () => {
    const audits = await database.orm.em.fork().find(AuditLog, { action: { $like: 'channel.%' } });
    const actions = new Set(audits.map((audit) => audit.action));
    for (const action of ['channel.create', 'channel.update', 'channel.delete', 'channel.key.disable']) expect(actions).toContain(action);
    const text = JSON.stringify(audits);
    for (const key of ALL_KEYS) expect(text).not.toContain(key);
  });
});

describe('per-key status', () => {
  it('leaves admin-disabled keys out of the snapshot (keyIds stay aligned), shows data-plane disables, and re-enabling clears them', async () => {
    const channel = await create({ name: 'keys', keys: ALL_KEYS });
    const disabled = await harness.graphql<{ setChannelKeyStatus: { channel: ChannelView } }>(SET_KEY, { input: { channelId: channel.id, keyId: channelKeyId(KEY_B), enabled: false } }, rootSession);
    expect(disabled.data?.setChannelKeyStatus.channel.keys.map((key) => key.status)).toEqual(['ENABLED', 'DISABLED', 'ENABLED']);
    const compiled = (await currentSnapshot()).channels[channel.id];
    expect(compiled?.keyIds).toEqual([channelKeyId(KEY_A), channelKeyId(KEY_C)]);
    expect(compiled?.sealedKeys.map((entry) => openSecret(entry, CRYPTO_SECRET))).toEqual([KEY_A, KEY_C]);

    // The data plane marks KEY_C rejected by the upstream.
    await harness.redis.sadd(redisKeys.disabledKeys(channel.id), channelKeyId(KEY_C));
    const listed = await harness.graphql<{ channels: { edges: Array<{ node: ChannelView }> } }>('{ channels(first: 200) { edges { node { id keys { id hint status } } } } }', {}, rootSession);
    const node = listed.data?.channels.edges.find((edge) => edge.node.id === channel.id)?.node;
    expect(node?.keys.map((key) => key.status)).toEqual(['ENABLED', 'DISABLED', 'AUTO_DISABLED']);

    const reenabled = await harness.graphql<{ setChannelKeyStatus: { channel: ChannelView } }>(SET_KEY, { input: { channelId: channel.id, keyId: channelKeyId(KEY_C), enabled: true } }, rootSession);
    expect(reenabled.data?.setChannelKeyStatus.channel.keys.map((key) => key.status)).toEqual(['ENABLED', 'DISABLED', 'ENABLED']);
    expect(await harness.redis.sismember(redisKeys.disabledKeys(channel.id), channelKeyId(KEY_C))).toBe(0);

    // Every key disabled: the channel cannot serve and leaves the snapshot.
    await harness.graphql(SET_KEY, { input: { channelId: channel.id, keyId: channelKeyId(KEY_A), enabled: false } }, rootSession);
    await harness.graphql(SET_KEY, { input: { channelId: channel.id, keyId: channelKeyId(KEY_C), enabled: false } }, rootSession);
    expect((await currentSnapshot()).channels[channel.id]).toBeUndefined();

    const unknown = await harness.graphql(SET_KEY, { input: { channelId: channel.id, keyId: 'ffffffffffffffff', enabled: true } }, rootSession);
    expect(errorCode(unknown)).toBe('NOT_FOUND');
  });
});

describe('setChannelsStatus', () => {
  it('disables by ids and by tag (channels leave the snapshot), re-enables by tag, and checks its input', async () => {
    const first = await create({ name: 'batch-1', tags: ['fleet'] });
    const second = await create({ name: 'batch-2', tags: ['fleet', 'other'] });
    const third = await create({ name: 'batch-3', tags: ['other'] });
    const byIds = await harness.graphql<{ setChannelsStatus: { count: number } }>(BATCH, { input: { ids: [first.id, third.id], status: 'DISABLED' } }, rootSession);
    expect(byIds.data?.setChannelsStatus.count).toBe(2);
    let snapshot = await currentSnapshot();
    expect([first.id, second.id, third.id].map((id) => Boolean(snapshot.channels[id]))).toEqual([false, true, false]);

    const byTag = await harness.graphql<{ setChannelsStatus: { count: number; channels: Array<{ id: string; status: string }> } }>(BATCH, { input: { tag: 'fleet', status: 'DISABLED' } }, rootSession);
    expect(byTag.data?.setChannelsStatus.count).toBe(2);
    snapshot = await currentSnapshot();
    expect([first.id, second.id].some((id) => snapshot.channels[id])).toBe(false);

    await harness.graphql(BATCH, { input: { tag: 'other', status: 'ENABLED' } }, rootSession);
    snapshot = await currentSnapshot();
    expect([first.id, second.id, third.id].map((id) => Boolean(snapshot.channels[id]))).toEqual([false, true, true]);

    expect(errorCode(await harness.graphql(BATCH, { input: { status: 'DISABLED' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(BATCH, { input: { ids: [first.id], tag: 'fleet', status: 'DISABLED' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(BATCH, { input: { ids: [first.id, '00000000-0000-0000-0000-000000000000'], status: 'DISABLED' } }, rootSession))).toBe('NOT_FOUND');
  });
});

describe('testChannel SSRF guard', () => {
  async function insertChannel(baseUrl: string): Promise<string> {
    // Written straight to the database, as if saved while ALLOW_PRIVATE_UPSTREAMS was on: the save-time check is bypassed,
    // so only the call-time guard stands between the mutation and the private address.
    const em = database.orm.em.fork();
    const channel = em.create(Channel, {
      name: 'private', type: 'openai', baseUrl, models: ['gpt-4o-mini'], sealedKeys: [sealSecret(KEY_A, CRYPTO_SECRET)],
      keyStates: [{ id: channelKeyId(KEY_A), hint: 'sk-…aaaa', enabled: true }],
    });
    await em.flush();
    return channel.id;
  }

  it('refuses a private address literal and a host name resolving to loopback; the mock receives nothing', async () => {
    for (const baseUrl of [mock.baseUrl, `http://localhost:${mock.port}/v1`]) {
      const id = await insertChannel(baseUrl);
      const result = await harness.graphql<{ testChannel: { ok: boolean; status: number | null; message: string } }>(TEST, { input: { id } }, rootSession);
      expect(result.errors).toBeUndefined();
      expect(result.data?.testChannel).toMatchObject({ ok: false, status: null });
      expect(result.data?.testChannel.message).toMatch(/private or reserved/);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('answers an unknown channel with NOT_FOUND', async () => {
    expect(errorCode(await harness.graphql(TEST, { input: { id: '00000000-0000-0000-0000-000000000000' } }, rootSession))).toBe('NOT_FOUND');
  });
});

describe('secrets', () => {
  it('never returned a key in any response of this file', () => {
    expect(responses.length).toBeGreaterThan(20);
    const all = responses.join('\n');
    for (const key of ALL_KEYS) expect(all).not.toContain(key);
  });
});
