// Governance rules over GraphQL: admin-only CRUD, unsafe patterns refused, every change audited and live in the
// Redis snapshot when the mutation returns.
import { redisKeys, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { AuditLog, openDatabase } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let rootSession: string;
let userSession: string;

const RULE_FIELDS = 'id name order enabled patterns keywords caseSensitive models paths groups tokenIds action maskWith rerouteModel blockMessage tag recordMatch';
const CREATE = `mutation ($input: CreateGovernanceRuleInput!) { createGovernanceRule(input: $input) { rule { ${RULE_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateGovernanceRuleInput!) { updateGovernanceRule(input: $input) { rule { ${RULE_FIELDS} } } }`;
const DELETE = 'mutation ($input: DeleteGovernanceRuleInput!) { deleteGovernanceRule(input: $input) { id } }';

async function snapshotRules(): Promise<Snapshot['governanceRules']> {
  const raw = await harness.redis.get(redisKeys.snapshotCurrent);
  return raw ? snapshotSchema.parse(JSON.parse(raw)).governanceRules : [];
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  await harness.graphql('mutation { createUser(input: {username: "plain", password: "plain-password"}) { user { id } } }', {}, rootSession);
  userSession = await harness.login('plain', 'plain-password');
});

afterAll(async () => {
  await harness.stop();
});

test('an admin creates, updates and deletes a rule; the snapshot follows before each mutation returns; each change is audited', async () => {
  const created = await harness.graphql<{ createGovernanceRule: { rule: { id: string; action: string; maskWith: string } } }>(
    CREATE,
    { input: { name: 'mask emails', order: 5, patterns: ['[\\w.+-]+@[\\w-]+\\.\\w+'], action: 'MASK', maskWith: '<email>', paths: ['/v1/chat/completions'] } },
    rootSession,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data?.createGovernanceRule.rule.id ?? '';
  expect(created.data?.createGovernanceRule.rule).toMatchObject({ action: 'MASK', maskWith: '<email>' });
  expect(await snapshotRules()).toEqual([
    expect.objectContaining({ id, order: 5, action: 'mask', maskWith: '<email>', match: expect.objectContaining({ paths: ['/v1/chat/completions'], models: null }) }),
  ]);

  const updated = await harness.graphql(UPDATE, { input: { id, name: 'block emails', order: 1, keywords: ['secret'], action: 'BLOCK', blockMessage: 'No.', enabled: true } }, rootSession);
  expect(updated.errors).toBeUndefined();
  expect(await snapshotRules()).toEqual([expect.objectContaining({ id, action: 'block', blockMessage: 'No.', match: expect.objectContaining({ keywords: ['secret'], patterns: [] }) })]);

  // A disabled rule stays in the database but leaves the snapshot.
  await harness.graphql(UPDATE, { input: { id, name: 'block emails', keywords: ['secret'], action: 'BLOCK', enabled: false } }, rootSession);
  expect(await snapshotRules()).toEqual([]);

  const deleted = await harness.graphql<{ deleteGovernanceRule: { id: string } }>(DELETE, { input: { id } }, rootSession);
  expect(deleted.data?.deleteGovernanceRule.id).toBe(id);
  const list = await harness.graphql<{ governanceRules: unknown[] }>(`{ governanceRules { ${RULE_FIELDS} } }`, {}, rootSession);
  expect(list.data?.governanceRules).toEqual([]);

  const database = await openDatabase(harness.config.databaseUrl);
  try {
    const audits = await database.orm.em.fork().find(AuditLog, { target: id }, { orderBy: { createdAt: 'asc' } });
    expect(audits.map((row) => row.action)).toEqual(['governance-rule.create', 'governance-rule.update', 'governance-rule.update', 'governance-rule.delete']);
  } finally {
    await database.close();
  }
});

test.each([
  ['a pattern that does not compile', { patterns: ['(unclosed'], action: 'BLOCK' }],
  ['a lookahead (RE2 has none)', { patterns: ['secret(?=plan)'], action: 'BLOCK' }],
  ['a backreference', { patterns: ['(a)\\1'], action: 'BLOCK' }],
  ['a pattern matching the empty string', { patterns: ['a*'], action: 'MASK' }],
  ['an over-long pattern', { patterns: ['a'.repeat(501)], action: 'BLOCK' }],
  ['reroute without a model', { keywords: ['x'], action: 'REROUTE' }],
  ['tag without a tag', { keywords: ['x'], action: 'TAG' }],
  ['mask with nothing to mask', { models: ['m'], action: 'MASK' }],
])('refuses %s with BAD_USER_INPUT', async (_name, fields) => {
  const result = await harness.graphql(CREATE, { input: { name: 'bad', ...fields } }, rootSession);
  expect(errorCode(result)).toBe('BAD_USER_INPUT');
});

test('patterns that backtrack catastrophically elsewhere are accepted: the data plane runs them in linear time', async () => {
  const created = await harness.graphql<{ createGovernanceRule: { rule: { id: string; maskWith: string } } }>(
    CREATE,
    { input: { name: 'nested', patterns: ['((a+))+$'], action: 'MASK', maskWith: '[$1]' } },
    rootSession,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data?.createGovernanceRule.rule.id ?? '';
  // The replacement is stored verbatim; the data plane inserts it literally.
  expect((await snapshotRules()).find((candidate) => candidate.id === id)?.maskWith).toBe('[$1]');
  await harness.graphql(DELETE, { input: { id } }, rootSession);
});

test('users and anonymous callers can neither read nor change rules', async () => {
  expect(errorCode(await harness.graphql(`{ governanceRules { id } }`, {}, userSession))).toBe('FORBIDDEN');
  expect(errorCode(await harness.graphql(CREATE, { input: { name: 'x', keywords: ['x'], action: 'BLOCK' } }, userSession))).toBe('FORBIDDEN');
  expect(errorCode(await harness.graphql(`{ governanceRules { id } }`))).toBe('UNAUTHENTICATED');
  expect(errorCode(await harness.graphql(DELETE, { input: { id: 'nope' } }, rootSession))).toBe('NOT_FOUND');
});
