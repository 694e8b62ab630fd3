// The ledger's hash chain: each posting's hash covers the previous hash and the posting's own fields, so editing,
// inserting or deleting a row in SQL breaks every hash after it. Pure functions; the service does the I/O.
import { createHash } from 'node:crypto';

/** prevHash of the first posting. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  sequence: number;
  id: string;
  userId: string;
  kind: string;
  amount: number;
  balanceAfter: number;
  reason: string;
  actorId: string | null;
  idempotencyKey: string;
  createdAt: Date;
}

/** A JSON array (fixed order, no floats) so the same posting always serialises to the same bytes on any database. */
export function canonicalLedgerFields(fields: ChainedFields): string {
  return JSON.stringify([
    fields.sequence, fields.id, fields.userId, fields.kind, fields.amount, fields.balanceAfter,
    fields.reason, fields.actorId, fields.idempotencyKey, fields.createdAt.getTime(),
  ]);
}

export function computeLedgerHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalLedgerFields(fields)).digest('hex');
}

export interface ChainedRow extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type ChainProblem = 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'balance_after_mismatch' | 'head_mismatch';

export interface ChainBreak {
  entryId: string | null;
  sequence: number;
  problem: ChainProblem;
}

/** Walk state carried across batches, so verification streams the table instead of loading it. */
export interface ChainWalk {
  lastSequence: number;
  lastHash: string;
  checked: number;
  /** Running balanceAfter per user: each posting must move it by exactly its amount. */
  balances: Map<string, number>;
}

export function startChainWalk(): ChainWalk {
  return { lastSequence: 0, lastHash: GENESIS_HASH, checked: 0, balances: new Map() };
}

/** Checks one batch (sequence order) and returns the first break, or null; `walk` advances past the good rows. */
export function walkChain(walk: ChainWalk, rows: readonly ChainedRow[]): ChainBreak | null {
  for (const row of rows) {
    const at = { entryId: row.id, sequence: row.sequence };
    if (row.sequence !== walk.lastSequence + 1) return { ...at, problem: 'sequence_gap' };
    if (row.prevHash !== walk.lastHash) return { ...at, problem: 'prev_hash_mismatch' };
    if (row.hash !== computeLedgerHash(row.prevHash, row)) return { ...at, problem: 'hash_mismatch' };
    const before = walk.balances.get(row.userId) ?? 0;
    if (before + row.amount !== row.balanceAfter) return { ...at, problem: 'balance_after_mismatch' };
    walk.balances.set(row.userId, row.balanceAfter);
    walk.lastSequence = row.sequence;
    walk.lastHash = row.hash;
    walk.checked += 1;
  }
  return null;
}

/** The head row must name the last posting: a truncated tail leaves the head pointing past it. */
export function checkChainHead(walk: ChainWalk, head: { sequence: number; hash: string }): ChainBreak | null {
  if (head.sequence === walk.lastSequence && head.hash === walk.lastHash) return null;
  return { entryId: null, sequence: Math.min(head.sequence, walk.lastSequence + 1), problem: 'head_mismatch' };
}
