// The audit trail's hash chain. Rows are written unchained (by every module and the workers, in their own
// transactions) and sealed shortly after in creation order by one sealer holding the "audit" chain head, so writers
// never wait on a global lock. Sealed rows cannot be edited, removed or re-ordered without verifyAuditLog noticing.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { GENESIS_HASH, type ChainBreak } from '../ledger/ledger-chain';
import { AuditLog } from './audit-log.entity';

export const AUDIT_CHAIN = 'audit';
const SEAL_BATCH_SIZE = 500;

/** JSON with object keys sorted at every level: PostgreSQL's jsonb does not keep key order, so hash a fixed form. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface AuditChainedFields {
  sequence: number;
  id: string;
  actorId: string | null;
  action: string;
  target: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  createdAt: Date;
}

export function computeAuditHash(prevHash: string, fields: AuditChainedFields): string {
  const canonical = canonicalJson([fields.sequence, fields.id, fields.actorId, fields.action, fields.target, fields.before, fields.after, fields.ip, fields.createdAt.getTime()]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

interface Head {
  sequence: number;
  hash: string;
}

async function readHead(em: EntityManager, lock: boolean): Promise<Head> {
  // "set sequence = sequence" takes the row lock (PostgreSQL) / the write lock (SQLite) so sealers never interleave.
  const sql = lock
    ? 'update "chain_heads" set "sequence" = "sequence" where "name" = ? returning "sequence", "hash"'
    : 'select "sequence", "hash" from "chain_heads" where "name" = ?';
  const rows = await em.getConnection().execute<Array<{ sequence: number | string; hash: string }>>(sql, [AUDIT_CHAIN], 'all', em.getTransactionContext());
  const row = rows[0];
  if (!row) throw new Error('the audit chain head is missing (migrations not applied?)');
  return { sequence: Number(row.sequence), hash: row.hash };
}

/** Seals every unsealed row (oldest first) in batches; returns how many it sealed. Safe to run anywhere, any time. */
export async function sealAuditLog(em: EntityManager): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await em.fork().transactional(async (transaction) => {
      let head = await readHead(transaction, true);
      const rows = await transaction.find(AuditLog, { sequence: null }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: SEAL_BATCH_SIZE });
      for (const row of rows) {
        const sequence = head.sequence + 1;
        const hash = computeAuditHash(head.hash, { ...row, sequence });
        row.sequence = sequence;
        row.prevHash = head.hash;
        row.hash = hash;
        head = { sequence, hash };
      }
      await transaction.flush();
      await transaction.getConnection().execute('update "chain_heads" set "sequence" = ?, "hash" = ? where "name" = ?', [head.sequence, head.hash, AUDIT_CHAIN], 'run', transaction.getTransactionContext());
      return rows.length;
    });
    sealed += count;
    if (count < SEAL_BATCH_SIZE) return sealed;
  }
}

export interface AuditChainReport {
  checked: number;
  head: Head;
  broken: ChainBreak | null;
}

/** Seals what is pending, then walks the sealed rows in sequence order and compares the end with the head. */
export async function verifyAuditChain(em: EntityManager): Promise<AuditChainReport> {
  await sealAuditLog(em);
  let lastSequence = 0;
  let lastHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const batch = await em.fork().find(AuditLog, { sequence: { $gt: lastSequence } }, { orderBy: { sequence: 'asc' }, limit: SEAL_BATCH_SIZE });
    if (batch.length === 0) break;
    for (const row of batch) {
      const sequence = row.sequence ?? 0;
      const at = { entryId: row.id, sequence };
      if (sequence !== lastSequence + 1) return { checked, head: await readHead(em.fork(), false), broken: { ...at, problem: 'sequence_gap' } };
      if (row.prevHash !== lastHash) return { checked, head: await readHead(em.fork(), false), broken: { ...at, problem: 'prev_hash_mismatch' } };
      if (row.hash !== computeAuditHash(lastHash, { ...row, sequence })) return { checked, head: await readHead(em.fork(), false), broken: { ...at, problem: 'hash_mismatch' } };
      lastSequence = sequence;
      lastHash = row.hash;
      checked += 1;
    }
  }
  const head = await readHead(em.fork(), false);
  const broken: ChainBreak | null = head.sequence === lastSequence && head.hash === lastHash
    ? null
    : { entryId: null, sequence: Math.min(head.sequence, lastSequence + 1), problem: 'head_mismatch' };
  return { checked, head, broken };
}

/** Seals every few seconds in the control plane; verifyAuditLog also seals before it walks. */
export function startAuditSealer(em: EntityManager, logError: (message: string, error: unknown) => void, intervalMs = 5_000): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => sealAuditLog(em).then(() => undefined, (error: unknown) => logError('audit sealing failed', error)));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
