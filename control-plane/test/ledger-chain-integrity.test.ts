// The ledger hash chain on a real database: concurrent postings from the control plane and from a second connection
// (as the usage worker does) never fork it; verifyLedger finds rows edited, re-hashed, deleted or truncated in SQL,
// and balances that drift from the ledger; a caller that swallows a failed posting leaves no gap; the migration
// chains postings that existed before it.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import { createTestDatabase } from '@nebulagate/testing';
import { InsufficientBalanceError, LedgerEntry, openDatabase, postLedgerEntry, type Database } from '../src';
import { computeLedgerHash } from '../src/modules/ledger/ledger-chain';
import { verifyLedger as verifyLedgerDirectly } from '../src/modules/ledger/ledger.service';
import { ROOT_PASSWORD, startHarness, type Harness } from './harness';
import { createUsers, verifyLedger, type TestUser } from './money-helpers';

let harness: Harness;
let rootSession: string;
let users: TestUser[];
let worker: Database;

const ADJUST = 'mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { entry { id sequence } } }';

interface RawEntry {
  id: string;
  sequence: number;
  user_id: string;
  reason: string;
  amount: number;
}

async function entryAt(sequence: number): Promise<RawEntry> {
  const rows = await worker.orm.em.fork().getConnection().execute<RawEntry[]>('select "id", "sequence", "user_id", "reason", "amount" from "ledger_entries" where "sequence" = ?', [sequence]);
  const row = rows[0];
  if (!row) throw new Error(`no ledger entry ${sequence}`);
  return { ...row, sequence: Number(row.sequence), amount: Number(row.amount) };
}

function sql(statement: string, parameters: unknown[] = []): Promise<unknown> {
  return worker.orm.em.fork().getConnection().execute(statement, parameters, 'run');
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  users = await createUsers(harness, rootSession, 'chain-user-', 8);
  // A second pool on the same database, like the workers process.
  worker = await openDatabase(harness.config.databaseUrl, { migrate: false });
}, 60_000);

afterAll(async () => {
  await worker.close();
  await harness.stop();
});

describe('concurrent postings', () => {
  it('never fork the chain when the control plane and another connection post at the same time', async () => {
    const adjustments = Array.from({ length: 40 }, (_, index) => harness.graphql(ADJUST, {
      input: { userId: users[index % users.length]?.id, amount: 1_000_000 + index, reason: `concurrent top-up ${index}` },
    }, rootSession));
    const usage = Array.from({ length: 40 }, (_, index) => worker.orm.em.fork().transactional((transaction) => postLedgerEntry(transaction, {
      userId: users[index % users.length]?.id ?? '', kind: 'usage', amount: -(1_000 + index), reason: `usage ${index}`, actorId: null,
      idempotencyKey: `request-${index}:usage`, allowNegative: true,
    })));
    const results = await Promise.all([...adjustments, ...usage]);
    expect(results.filter((result) => 'errors' in result && result.errors)).toEqual([]);

    const verification = await verifyLedger(harness, rootSession);
    expect(verification).toMatchObject({ ok: true, checkedEntries: 80, headSequence: 80, problem: null, balanceMismatches: [] });
    const counts = await worker.orm.em.fork().getConnection().execute<Array<{ entries: number | string; sequences: number | string; parents: number | string }>>(
      'select count(*) as "entries", count(distinct "sequence") as "sequences", count(distinct "prev_hash") as "parents" from "ledger_entries"',
    );
    expect(counts[0] && [Number(counts[0].entries), Number(counts[0].sequences), Number(counts[0].parents)]).toEqual([80, 80, 80]);
  });

  it('leaves no gap when a caller swallows a duplicate or an overdraft and commits anyway', async () => {
    const userId = users[0]?.id ?? '';
    await worker.orm.em.fork().transactional(async (transaction) => {
      await expect(postLedgerEntry(transaction, { userId, kind: 'usage', amount: -1, reason: 'again', actorId: null, idempotencyKey: 'request-0:usage', allowNegative: true }))
        .rejects.toBeInstanceOf(UniqueConstraintViolationException);
      await expect(postLedgerEntry(transaction, { userId, kind: 'adjustment', amount: -1_000_000_000_000, reason: 'too much', actorId: null, idempotencyKey: 'overdraft', allowNegative: false }))
        .rejects.toBeInstanceOf(InsufficientBalanceError);
      await postLedgerEntry(transaction, { userId, kind: 'refund', amount: 5, reason: 'after the failures', actorId: null, idempotencyKey: 'refund-1', allowNegative: false });
    });
    expect(await verifyLedger(harness, rootSession)).toMatchObject({ ok: true, checkedEntries: 81, headSequence: 81 });
  });
});

describe('tampering in SQL', () => {
  it('finds an edited amount at that entry, and the balance that no longer matches', async () => {
    const target = await entryAt(10);
    await sql('update "ledger_entries" set "amount" = ? where "id" = ?', [target.amount + 1_000_000, target.id]);
    try {
      const verification = await verifyLedger(harness, rootSession);
      expect(verification).toMatchObject({ ok: false, firstBrokenEntryId: target.id, firstBrokenSequence: 10, problem: 'hash_mismatch' });
      expect(verification.checkedEntries).toBe(9);
      expect(verification.balanceMismatches.map((mismatch) => mismatch.userId)).toEqual([target.user_id]);
    } finally {
      await sql('update "ledger_entries" set "amount" = ? where "id" = ?', [target.amount, target.id]);
    }
    expect((await verifyLedger(harness, rootSession)).ok).toBe(true);
  });

  it('finds a row whose reason was edited and whose hash was recomputed, at the next entry', async () => {
    const target = await entryAt(20);
    const next = await entryAt(21);
    const rows = await worker.orm.em.fork().getConnection().execute<Array<Record<string, unknown>>>('select * from "ledger_entries" where "id" = ?', [target.id]);
    const original = rows[0] ?? {};
    const entity = await worker.orm.em.fork().findOneOrFail(LedgerEntry, { id: target.id });
    const forgedHash = computeLedgerHash(entity.prevHash, { ...entity, reason: 'nothing to see here' });
    await sql('update "ledger_entries" set "reason" = ?, "hash" = ? where "id" = ?', ['nothing to see here', forgedHash, target.id]);
    try {
      expect(await verifyLedger(harness, rootSession)).toMatchObject({ ok: false, firstBrokenEntryId: next.id, firstBrokenSequence: 21, problem: 'prev_hash_mismatch' });
    } finally {
      await sql('update "ledger_entries" set "reason" = ?, "hash" = ? where "id" = ?', [original.reason, original.hash, target.id]);
    }
  });

  it('finds a balance edited outside the ledger', async () => {
    const userId = users[3]?.id ?? '';
    await sql('update "users" set "balance" = "balance" + 42 where "id" = ?', [userId]);
    try {
      const verification = await verifyLedger(harness, rootSession);
      expect(verification).toMatchObject({ ok: false, problem: null, firstBrokenEntryId: null });
      expect(verification.balanceMismatches).toHaveLength(1);
      expect(verification.balanceMismatches[0]?.userId).toBe(userId);
      expect((verification.balanceMismatches[0]?.balance ?? 0) - (verification.balanceMismatches[0]?.ledgerSum ?? 0)).toBe(42);
    } finally {
      await sql('update "users" set "balance" = "balance" - 42 where "id" = ?', [userId]);
    }
  });

  it('finds a deleted entry (at the one after it) and a truncated tail (at the head)', async () => {
    const last = await entryAt(81);
    await sql('delete from "ledger_entries" where "id" = ?', [last.id]);
    await sql('update "users" set "balance" = "balance" - ? where "id" = ?', [last.amount, last.user_id]);
    expect(await verifyLedger(harness, rootSession)).toMatchObject({ ok: false, problem: 'head_mismatch', firstBrokenEntryId: null, balanceMismatches: [] });

    const middle = await entryAt(30);
    const after = await entryAt(31);
    await sql('delete from "ledger_entries" where "id" = ?', [middle.id]);
    const verification = await verifyLedger(harness, rootSession);
    expect(verification).toMatchObject({ ok: false, firstBrokenEntryId: after.id, firstBrokenSequence: 31, problem: 'sequence_gap', checkedEntries: 29 });
  });

  it('is an admin-only query', async () => {
    const result = await harness.graphql('{ verifyLedger { ok } }', {}, users[0]?.session);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('migration', () => {
  it('chains postings written before the chain existed', async () => {
    const database = await createTestDatabase();
    let opened: Database | null = null;
    try {
      opened = await openDatabase(database.url, { migrate: false });
      const migrator = opened.orm.getMigrator() as Migrator;
      await migrator.up({ to: 'Migration20250101000000Initial' });
      const connection = opened.orm.em.fork().getConnection();
      await connection.execute('insert into "users" ("id", "username", "password_hash", "balance", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?)', ['u1', 'legacy', 'x', 700, new Date(1_700_000_000_000), new Date(1_700_000_000_000)], 'run');
      const legacy = [['e1', 1_000, 1_000, 1], ['e2', -300, 700, 2]] as const;
      for (const [id, amount, balanceAfter, offset] of legacy) {
        await connection.execute(
          'insert into "ledger_entries" ("id", "user_id", "kind", "amount", "balance_after", "reason", "actor_id", "idempotency_key", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [id, 'u1', 'adjustment', amount, balanceAfter, `legacy ${id}`, null, `legacy:${id}`, new Date(1_700_000_000_000 + offset)], 'run',
        );
      }
      await migrator.up();
      const verification = await verifyLedgerDirectly(opened.orm.em.fork());
      expect(verification).toMatchObject({ ok: true, checkedEntries: 2, headSequence: 2, balanceMismatches: [] });
      const next = await opened.orm.em.fork().transactional((transaction) => postLedgerEntry(transaction, {
        userId: 'u1', kind: 'refund', amount: 50, reason: 'after the migration', actorId: null, idempotencyKey: 'after', allowNegative: false,
      }));
      expect(next).toMatchObject({ sequence: 3, balanceAfter: 750 });
      expect(await verifyLedgerDirectly(opened.orm.em.fork())).toMatchObject({ ok: true, checkedEntries: 3 });
    } finally {
      await opened?.close();
      await database.drop();
    }
  });
});
