// Gateway settings over GraphQL: defaults before anything is saved, partial updates, validation with the snapshot's own
// schema, group multipliers and limits compiled into the snapshot before the mutation returns, admin only, audited.
import { DEFAULT_SNAPSHOT_SETTINGS, redisKeys, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { AuditLog, openDatabase } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;
let userSession: string;

const FIELDS = `defaultMaxOutputTokens allowUnpricedModels maxRequestBodyBytes
  retry { maxAttempts budgetRatio retryOnStatus } breaker { windowSeconds minimumRequests failureRateThreshold openSeconds }
  sessionAffinity { enabled headers ttlSeconds } perIpLimits { requestsPerMinute tokensPerMinute concurrentRequests }
  groupLimits { group limits { requestsPerMinute tokensPerMinute concurrentRequests } } groupMultipliers { group multiplier }`;
const UPDATE = `mutation ($input: UpdateGatewaySettingsInput!) { updateGatewaySettings(input: $input) { settings { ${FIELDS} } } }`;

async function snapshot(): Promise<Snapshot> {
  const raw = await harness.redis.get(redisKeys.snapshotCurrent);
  return snapshotSchema.parse(JSON.parse(raw ?? 'null'));
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  await harness.graphql('mutation { createUser(input: {username: "someone", password: "someone-password"}) { user { id } } }', {}, rootSession);
  userSession = await harness.login('someone', 'someone-password');
});

afterAll(async () => {
  await harness.stop();
});

test('defaults before anything is saved', async () => {
  const result = await harness.graphql<{ gatewaySettings: Record<string, unknown> }>(`{ gatewaySettings { ${FIELDS} } }`, {}, rootSession);
  expect(result.data?.gatewaySettings).toMatchObject({
    defaultMaxOutputTokens: DEFAULT_SNAPSHOT_SETTINGS.defaultMaxOutputTokens,
    retry: { maxAttempts: DEFAULT_SNAPSHOT_SETTINGS.retry.maxAttempts, budgetRatio: DEFAULT_SNAPSHOT_SETTINGS.retry.budgetRatio },
    groupLimits: [],
    groupMultipliers: [],
  });
});

test('a partial update keeps the other fields and reaches the snapshot before the mutation returns', async () => {
  const result = await harness.graphql<{ updateGatewaySettings: { settings: Record<string, unknown> } }>(
    UPDATE,
    {
      input: {
        retry: { maxAttempts: 2 },
        sessionAffinity: { enabled: true },
        perIpLimits: { requestsPerMinute: 600 },
        groupLimits: [{ group: 'free', limits: { requestsPerMinute: 10, concurrentRequests: 2 } }],
        groupMultipliers: [{ group: 'vip', multiplier: 0.8 }],
      },
    },
    rootSession,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.updateGatewaySettings.settings).toMatchObject({
    retry: { maxAttempts: 2, budgetRatio: DEFAULT_SNAPSHOT_SETTINGS.retry.budgetRatio },
    sessionAffinity: { enabled: true, headers: DEFAULT_SNAPSHOT_SETTINGS.sessionAffinity.headers },
  });
  const current = await snapshot();
  expect(current.settings.retry).toEqual({ ...DEFAULT_SNAPSHOT_SETTINGS.retry, maxAttempts: 2 });
  expect(current.settings.limits).toEqual({
    perIp: { requestsPerMinute: 600, tokensPerMinute: null, concurrentRequests: null },
    groupDefaults: { free: { requestsPerMinute: 10, tokensPerMinute: null, concurrentRequests: 2 } },
  });
  expect(current.groupMultipliers).toEqual({ vip: 0.8 });

  // A second update of another field keeps the first one.
  await harness.graphql(UPDATE, { input: { allowUnpricedModels: true } }, rootSession);
  const after = await snapshot();
  expect(after.settings.allowUnpricedModels).toBe(true);
  expect(after.settings.retry.maxAttempts).toBe(2);
  expect(after.groupMultipliers).toEqual({ vip: 0.8 });

  const database = await openDatabase(harness.config.databaseUrl);
  try {
    expect(await database.orm.em.fork().count(AuditLog, { action: 'settings.update' })).toBe(2);
  } finally {
    await database.close();
  }
});

test.each([
  ['zero attempts', { retry: { maxAttempts: 0 } }],
  ['a breaker threshold above 1', { breaker: { failureRateThreshold: 1.5 } }],
  ['a negative multiplier', { groupMultipliers: [{ group: 'x', multiplier: -1 }] }],
  ['a bad group name', { groupLimits: [{ group: 'no spaces please', limits: { requestsPerMinute: 1 } }] }],
  ['a zero rate limit', { perIpLimits: { requestsPerMinute: 0 } }],
])('refuses %s with BAD_USER_INPUT and changes nothing', async (_name, input) => {
  const before = await snapshot();
  expect(errorCode(await harness.graphql(UPDATE, { input }, rootSession))).toBe('BAD_USER_INPUT');
  expect((await snapshot()).settings).toEqual(before.settings);
});

test('only admins read or change settings', async () => {
  expect(errorCode(await harness.graphql(`{ gatewaySettings { defaultMaxOutputTokens } }`, {}, userSession))).toBe('FORBIDDEN');
  expect(errorCode(await harness.graphql(UPDATE, { input: { allowUnpricedModels: true } }, userSession))).toBe('FORBIDDEN');
});
