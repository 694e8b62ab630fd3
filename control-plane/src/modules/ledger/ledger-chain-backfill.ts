// Chains postings written before the hash chain existed (used once, by the money migration). Raw SQL only, so it
// keeps working when later migrations add columns the entity knows about.
import { computeLedgerHash, GENESIS_HASH } from './ledger-chain';

export type RunSql = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** SQLite keeps datetimes as epoch milliseconds, PostgreSQL's driver hands back Date objects. */
function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(String(value));
}

function readText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Numbers every existing posting in (created_at, id) order, hashes it, and points the head at the last one. */
export async function backfillLedgerChain(run: RunSql): Promise<void> {
  const rows = await run('select "id", "user_id", "kind", "amount", "balance_after", "reason", "actor_id", "idempotency_key", "created_at" from "ledger_entries" order by "created_at" asc, "id" asc');
  let prevHash = GENESIS_HASH;
  let sequence = 0;
  for (const row of rows) {
    sequence += 1;
    const hash = computeLedgerHash(prevHash, {
      sequence,
      id: readText(row.id),
      userId: readText(row.user_id),
      kind: readText(row.kind),
      amount: Number(row.amount),
      balanceAfter: Number(row.balance_after),
      reason: readText(row.reason),
      actorId: row.actor_id === null || row.actor_id === undefined ? null : readText(row.actor_id),
      idempotencyKey: readText(row.idempotency_key),
      createdAt: readDate(row.created_at),
    });
    await run('update "ledger_entries" set "sequence" = ?, "prev_hash" = ?, "hash" = ? where "id" = ?', [sequence, prevHash, hash, row.id]);
    prevHash = hash;
  }
  await run('insert into "chain_heads" ("name", "sequence", "hash") values (?, ?, ?)', ['ledger', sequence, prevHash]);
}
