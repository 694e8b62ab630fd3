import { openSecret, redisChannels, redisKeys, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { Redis } from 'ioredis';
import { openDatabase, AuditLog, LedgerEntry } from '../src';
import { CRYPTO_SECRET, errorCode, eventually, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;
let userSession: string;
let userId: string;

const CREATE_CHANNEL = `mutation ($input: CreateChannelInput!) {
  createChannel(input: $input) { channel { id name type baseUrl models groups priority weight status keyCount keyHint modelMapping } }
}`;
const ADJUST = `mutation ($input: AdjustBalanceInput!) {
  adjustBalance(input: $input) { user { id balance } entry { id kind amount balanceAfter reason actorId idempotencyKey } }
}`;

async function currentSnapshot(redis: Redis): Promise<Snapshot | null> {
  const raw = await redis.get(redisKeys.snapshotCurrent);
  return raw ? snapshotSchema.parse(JSON.parse(raw)) : null;
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  const created = await harness.graphql<{ createUser: { user: { id: string } } }>(
    'mutation { createUser(input: {username: "mallory", password: "mallory-password"}) { user { id role group balance } } }',
    {},
    rootSession,
  );
  userId = created.data?.createUser.user.id ?? '';
  expect(userId).not.toBe('');
  userSession = await harness.login('mallory', 'mallory-password');
});

afterAll(async () => {
  await harness.stop();
});

describe('roles', () => {
  it('refuses admin-only queries and mutations to a plain user with FORBIDDEN', async () => {
    const attempts = [
      harness.graphql('{ channels { edges { node { id } } } }', {}, userSession),
      harness.graphql('{ users { edges { node { id } } } }', {}, userSession),
      harness.graphql(CREATE_CHANNEL, { input: { name: 'x', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: 'sk-1', models: ['m'] } }, userSession),
      harness.graphql('mutation { setModelPrice(input: {model: "m", inputPerMillion: 1, outputPerMillion: 1}) { price { model } } }', {}, userSession),
      harness.graphql(ADJUST, { input: { userId, amount: 1_000_000, reason: 'free money' } }, userSession),
      harness.graphql('mutation { createUser(input: {username: "minion", password: "minion-password", role: ADMIN}) { user { id } } }', {}, userSession),
    ];
    for (const result of await Promise.all(attempts)) expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('does not let an admin create another admin (only root can)', async () => {
    await harness.graphql('mutation { createUser(input: {username: "helper", password: "helper-password", role: ADMIN}) { user { id } } }', {}, rootSession);
    const adminSession = await harness.login('helper', 'helper-password');
    const escalation = await harness.graphql('mutation { createUser(input: {username: "helper2", password: "helper-password", role: ROOT}) { user { id } } }', {}, adminSession);
    expect(errorCode(escalation)).toBe('FORBIDDEN');
    const plain = await harness.graphql<{ createUser: { user: { role: string } } }>(
      'mutation { createUser(input: {username: "helper3", password: "helper-password"}) { user { role } } }', {}, adminSession,
    );
    expect(plain.data?.createUser.user.role).toBe('USER');
  });

  it('publishes a created user and seeds the wallet', async () => {
    expect(JSON.parse((await harness.redis.get(redisKeys.user(userId))) ?? 'null')).toEqual({ id: userId, status: 'active', group: 'default', limits: null });
    expect(await harness.redis.get(redisKeys.wallet(userId))).toBe('0');
  });

  it('answers a duplicate username with CONFLICT', async () => {
    const duplicate = await harness.graphql('mutation { createUser(input: {username: "mallory", password: "another-password"}) { user { id } } }', {}, rootSession);
    expect(errorCode(duplicate)).toBe('CONFLICT');
  });
});

describe('channels', () => {
  it('seals the key, never returns it, and publishes a snapshot whose sealed key opens to the original', async () => {
    const before = await currentSnapshot(harness.redis);
    const upstreamKey = 'sk-upstream-secret-9f3a';
    const subscriber = new Redis(harness.redisServer.url);
    const published: string[] = [];
    await subscriber.subscribe(redisChannels.snapshotPublished);
    subscriber.on('message', (_channel, message) => published.push(message));
    try {
      const response = await fetch(`${harness.plane.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${rootSession}` },
        body: JSON.stringify({
          query: CREATE_CHANNEL,
          variables: { input: { name: 'OpenAI main', type: 'openai', baseUrl: 'https://api.openai.com/v1/', keys: `${upstreamKey}\nsk-second-key-0000`, models: ['gpt-4o-mini'], modelMapping: { 'gpt-4o-mini': 'gpt-4o-mini-2024' }, priority: 5, weight: 3 } },
        }),
      });
      const text = await response.text();
      expect(text).not.toContain(upstreamKey);
      const channel = (JSON.parse(text) as { data: { createChannel: { channel: Record<string, unknown> } } }).data.createChannel.channel;
      expect(channel).toMatchObject({ name: 'OpenAI main', type: 'openai', baseUrl: 'https://api.openai.com/v1', keyCount: 2, keyHint: 'sk-…9f3a', status: 'ENABLED', groups: ['default'], priority: 5, weight: 3 });

      const snapshot = await eventually(async () => {
        const current = await currentSnapshot(harness.redis);
        return current && current.channels[String(channel.id)] ? current : null;
      }, 'a snapshot with the new channel');
      expect(snapshot.version).toBeGreaterThan(before?.version ?? 0);
      const published_channel = snapshot.channels[String(channel.id)];
      expect(published_channel?.sealedKeys).toHaveLength(2);
      expect(published_channel?.sealedKeys.map((sealed) => openSecret(sealed, CRYPTO_SECRET))).toEqual([upstreamKey, 'sk-second-key-0000']);
      expect(JSON.stringify(snapshot)).not.toContain(upstreamKey);
      expect(snapshot.routes.default?.['gpt-4o-mini']).toEqual([{ priority: 5, channels: [{ channelId: channel.id, weight: 3 }] }]);
      await eventually(async () => (published.includes(String(snapshot.version)) ? true : null), 'the version on the pub/sub channel');

      // The database holds the sealed form only.
      const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
      try {
        const rows = await database.orm.em.fork().getConnection().execute('select * from channels');
        expect(JSON.stringify(rows)).not.toContain(upstreamKey);
        const audits = await database.orm.em.fork().find(AuditLog, { action: 'channel.create' });
        expect(audits).toHaveLength(1);
        expect(JSON.stringify(audits)).not.toContain(upstreamKey);
      } finally {
        await database.close();
      }

      // Disabling the channel takes it out of the next snapshot.
      const disabled = await harness.graphql('mutation ($input: UpdateChannelInput!) { updateChannel(input: $input) { channel { status } } }', { input: { id: channel.id, status: 'DISABLED' } }, rootSession);
      expect(disabled.errors).toBeUndefined();
      await eventually(async () => {
        const current = await currentSnapshot(harness.redis);
        return current && !current.channels[String(channel.id)] ? current : null;
      }, 'a snapshot without the disabled channel');
    } finally {
      subscriber.disconnect();
    }
  });

  it('refuses private/loopback base URLs, non-http schemes and unknown types with BAD_USER_INPUT', async () => {
    const base = { name: 'bad', type: 'openai', baseUrl: 'https://api.openai.com/v1', keys: 'sk-1', models: ['m'] };
    const cases = [
      { ...base, baseUrl: 'http://127.0.0.1:8080/v1' },
      { ...base, baseUrl: 'http://localhost:11434' },
      { ...base, baseUrl: 'http://169.254.169.254/latest' },
      { ...base, baseUrl: 'http://[::1]:8080' },
      { ...base, baseUrl: 'http://10.1.2.3' },
      { ...base, baseUrl: 'file:///etc/passwd' },
      { ...base, baseUrl: 'not a url' },
      { ...base, type: 'not-a-provider' },
      { ...base, keys: ' , \n ' },
    ];
    for (const input of cases) {
      const result = await harness.graphql(CREATE_CHANNEL, { input }, rootSession);
      expect({ input, code: errorCode(result) }).toEqual({ input, code: 'BAD_USER_INPUT' });
    }
  });

  it('lists and deletes channels; a missing id is NOT_FOUND', async () => {
    const list = await harness.graphql<{ channels: { edges: Array<{ node: { id: string } }> } }>('{ channels { edges { node { id } } pageInfo { hasNextPage } } }', {}, rootSession);
    const id = list.data?.channels.edges[0]?.node.id;
    expect(id).toBeDefined();
    const deleted = await harness.graphql<{ deleteChannel: { id: string } }>('mutation ($id: ID!) { deleteChannel(input: {id: $id}) { id } }', { id }, rootSession);
    expect(deleted.data?.deleteChannel.id).toBe(id);
    const again = await harness.graphql('mutation ($id: ID!) { deleteChannel(input: {id: $id}) { id } }', { id }, rootSession);
    expect(errorCode(again)).toBe('NOT_FOUND');
  });
});

describe('prices', () => {
  it('setModelPrice publishes a snapshot carrying the new price', async () => {
    const result = await harness.graphql<{ setModelPrice: { price: Record<string, unknown> } }>(
      'mutation { setModelPrice(input: {model: "gpt-4o-mini", inputPerMillion: 150000, outputPerMillion: 600000, cacheReadPerMillion: 75000}) { price { model inputPerMillion outputPerMillion cacheReadPerMillion cacheWritePerMillion perCall } } }',
      {},
      rootSession,
    );
    expect(result.data?.setModelPrice.price).toEqual({ model: 'gpt-4o-mini', inputPerMillion: 150000, outputPerMillion: 600000, cacheReadPerMillion: 75000, cacheWritePerMillion: null, perCall: 0 });
    const snapshot = await eventually(async () => {
      const current = await currentSnapshot(harness.redis);
      return current?.prices['gpt-4o-mini']?.outputPerMillion === 600000 ? current : null;
    }, 'a snapshot with the price');
    expect(snapshot.prices['gpt-4o-mini']).toEqual({ inputPerMillion: 150000, outputPerMillion: 600000, cacheReadPerMillion: 75000, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null });

    await harness.graphql('mutation { setModelPrice(input: {model: "gpt-4o-mini", inputPerMillion: 200000, outputPerMillion: 800000}) { price { model } } }', {}, rootSession);
    await eventually(async () => ((await currentSnapshot(harness.redis))?.prices['gpt-4o-mini']?.outputPerMillion === 800000 ? true : null), 'the updated price');
    const prices = await harness.graphql<{ modelPrices: unknown[] }>('{ modelPrices { model inputPerMillion } }', {}, userSession);
    expect(prices.data?.modelPrices).toEqual([{ model: 'gpt-4o-mini', inputPerMillion: 200000 }]);
  });

  it('refuses negative or fractional prices with BAD_USER_INPUT', async () => {
    const negative = await harness.graphql('mutation { setModelPrice(input: {model: "m", inputPerMillion: -1, outputPerMillion: 1}) { price { model } } }', {}, rootSession);
    expect(errorCode(negative)).toBe('BAD_USER_INPUT');
    const fractional = await harness.graphql('mutation ($input: SetModelPriceInput!) { setModelPrice(input: $input) { price { model } } }', { input: { model: 'm', inputPerMillion: 1.5, outputPerMillion: 1 } }, rootSession);
    expect(errorCode(fractional)).toBe('BAD_USER_INPUT');
  });
});

describe('adjustBalance', () => {
  it('writes one ledger row, moves the SQL balance and the Redis wallet by the amount; a repeated key does nothing', async () => {
    const walletBefore = Number(await harness.redis.get(redisKeys.wallet(userId)));
    const input = { userId, amount: 5_000_000, reason: 'welcome credit', idempotencyKey: 'welcome-1' };
    const first = await harness.graphql<{ adjustBalance: { user: { balance: number }; entry: Record<string, unknown> } }>(ADJUST, { input }, rootSession);
    expect(first.errors).toBeUndefined();
    expect(first.data?.adjustBalance.user.balance).toBe(5_000_000);
    expect(first.data?.adjustBalance.entry).toMatchObject({ kind: 'adjustment', amount: 5_000_000, balanceAfter: 5_000_000, reason: 'welcome credit' });
    expect(Number(await harness.redis.get(redisKeys.wallet(userId)))).toBe(walletBefore + 5_000_000);

    const repeat = await harness.graphql<{ adjustBalance: { user: { balance: number }; entry: { id: string } } }>(ADJUST, { input }, rootSession);
    expect(repeat.data?.adjustBalance.entry.id).toBe(first.data?.adjustBalance.entry.id);
    expect(repeat.data?.adjustBalance.user.balance).toBe(5_000_000);
    expect(Number(await harness.redis.get(redisKeys.wallet(userId)))).toBe(walletBefore + 5_000_000);

    const deduct = await harness.graphql<{ adjustBalance: { user: { balance: number } } }>(ADJUST, { input: { userId, amount: -1_000_000, reason: 'correction' } }, rootSession);
    expect(deduct.data?.adjustBalance.user.balance).toBe(4_000_000);
    expect(Number(await harness.redis.get(redisKeys.wallet(userId)))).toBe(walletBefore + 4_000_000);

    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      const entries = await database.orm.em.fork().find(LedgerEntry, { userId }, { orderBy: { createdAt: 'asc' } });
      expect(entries.map((entry) => entry.amount)).toEqual([5_000_000, -1_000_000]);
      const audits = await database.orm.em.fork().find(AuditLog, { action: 'balance.adjust', target: userId });
      expect(audits).toHaveLength(2);
    } finally {
      await database.close();
    }
  });

  it('answers bad input with BAD_USER_INPUT, an unknown user with NOT_FOUND, a reused key for another amount with CONFLICT', async () => {
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: 0, reason: 'nothing' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: 10, reason: '   ' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: 'ten', reason: 'x' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: 2 ** 60, reason: 'x' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: -10_000_000_000, reason: 'too much' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId: 'no-such-user', amount: 10, reason: 'x' } }, rootSession))).toBe('NOT_FOUND');
    expect(errorCode(await harness.graphql(ADJUST, { input: { userId, amount: 7, reason: 'x', idempotencyKey: 'welcome-1' } }, rootSession))).toBe('CONFLICT');
  });
});

describe('request hygiene', () => {
  it('serves /health and /metrics with security headers', async () => {
    const health = await fetch(`${harness.plane.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    const metrics = await fetch(`${harness.plane.url}/metrics`);
    expect(await metrics.text()).toContain('nebulagate_control_plane_snapshot_version');
  });
});
