// The audit trail's hash chain: rows written by any module (or directly, as a worker does) are sealed in order,
// racing sealers do not fork the chain, and verifyAuditLog finds rows edited or deleted in SQL.
import { AuditLog, openDatabase, type Database } from '../src';
import { canonicalJson, sealAuditLog } from '../src/modules/audit/audit-chain';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';
import { createUsers } from './money-helpers';

let harness: Harness;
let rootSession: string;
let worker: Database;

interface AuditVerification {
  ok: boolean;
  checkedEntries: number;
  headSequence: number;
  firstBrokenEntryId: string | null;
  firstBrokenSequence: number | null;
  problem: string | null;
}

async function verifyAuditLog(): Promise<AuditVerification> {
  const result = await harness.graphql<{ verifyAuditLog: AuditVerification }>(
    '{ verifyAuditLog { ok checkedEntries headSequence headHash firstBrokenEntryId firstBrokenSequence problem } }', {}, rootSession,
  );
  if (!result.data) throw new Error(`verifyAuditLog failed: ${JSON.stringify(result.errors)}`);
  return result.data.verifyAuditLog;
}

async function auditRowAt(sequence: number): Promise<AuditLog> {
  return worker.orm.em.fork().findOneOrFail(AuditLog, { sequence });
}

function sql(statement: string, parameters: unknown[] = []): Promise<unknown> {
  return worker.orm.em.fork().getConnection().execute(statement, parameters, 'run');
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  worker = await openDatabase(harness.config.databaseUrl, { migrate: false });
});

afterAll(async () => {
  await worker.close();
  await harness.stop();
});

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: { d: [2, { f: null, e: 'x' }], c: true } }, '{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}'],
    [null, 'null'],
    [{ skipped: undefined, kept: 0 }, '{"kept":0}'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ['quote"', '"quote\\""'],
  ])('%p -> %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('sealing', () => {
  it('chains every audit row, whoever wrote it, and racing sealers do not fork the chain', async () => {
    const users = await createUsers(harness, rootSession, 'audit-user-', 6);
    const direct = worker.orm.em.fork();
    for (let index = 0; index < 5; index += 1) {
      direct.create(AuditLog, { actorId: null, action: 'channel.health', target: `channel-${index}`, after: { z: index, a: 'down', nested: { y: 1, b: [1, 2] } }, ip: null, createdAt: new Date() });
    }
    await direct.flush();
    const mutations = users.map((user, index) => harness.graphql('mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { entry { id } } }', {
      input: { userId: user.id, amount: 1_000 + index, reason: 'audit chain test' },
    }, rootSession));
    const sealers = Array.from({ length: 5 }, () => sealAuditLog(worker.orm.em));
    await Promise.all([...mutations, ...sealers]);

    const total = await worker.orm.em.fork().count(AuditLog, {});
    expect(total).toBeGreaterThanOrEqual(6 + 5 + 6);
    const verification = await verifyAuditLog();
    expect(verification).toMatchObject({ ok: true, checkedEntries: total, headSequence: total, problem: null });
    expect(await worker.orm.em.fork().count(AuditLog, { sequence: null })).toBe(0);
  });

  it('is an admin-only query', async () => {
    const [user] = await createUsers(harness, rootSession, 'audit-plain-', 1);
    expect(errorCode(await harness.graphql('{ verifyAuditLog { ok } }', {}, user?.session))).toBe('FORBIDDEN');
  });
});

describe('tampering in SQL', () => {
  it('finds an edited row at that row', async () => {
    const target = await auditRowAt(3);
    const original = JSON.stringify(target.after);
    await sql('update "audit_logs" set "after" = ? where "id" = ?', [JSON.stringify({ amount: 1, note: 'rewritten' }), target.id]);
    try {
      expect(await verifyAuditLog()).toMatchObject({ ok: false, firstBrokenEntryId: target.id, firstBrokenSequence: 3, problem: 'hash_mismatch', checkedEntries: 2 });
    } finally {
      await sql('update "audit_logs" set "after" = ? where "id" = ?', [original, target.id]);
    }
    expect((await verifyAuditLog()).ok).toBe(true);
  });

  it('finds an edited actor and a deleted row', async () => {
    const target = await auditRowAt(5);
    await sql('update "audit_logs" set "actor_id" = ? where "id" = ?', ['someone-else', target.id]);
    expect(await verifyAuditLog()).toMatchObject({ ok: false, firstBrokenEntryId: target.id, problem: 'hash_mismatch' });
    await sql('update "audit_logs" set "actor_id" = ? where "id" = ?', [target.actorId, target.id]);

    const removed = await auditRowAt(7);
    const following = await auditRowAt(8);
    await sql('delete from "audit_logs" where "id" = ?', [removed.id]);
    expect(await verifyAuditLog()).toMatchObject({ ok: false, firstBrokenEntryId: following.id, firstBrokenSequence: 8, problem: 'sequence_gap' });
  });
});
