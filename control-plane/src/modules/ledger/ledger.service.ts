// Money postings: one ledger row + the balance move in one transaction, at most once per idempotency key.
// Shared by admin adjustments (control plane) and usage billing (workers).
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { appError, assertThat } from '../../graphql/errors';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import { visibleOwnerId, type Actor } from '../actor';
import { paginate, type Connection } from '../../graphql/pagination';
import { recordAudit } from '../audit/audit.service';
import { User } from '../user/user.entity';
import { checkChainHead, computeLedgerHash, startChainWalk, walkChain, type ChainBreak } from './ledger-chain';
import { LedgerEntry, type LedgerKind } from './ledger-entry.entity';
import type { AdjustBalanceInput } from './ledger.input';
import type { BalanceMismatch, LedgerVerification } from './ledger-verification.type';

export interface PostingRequest {
  userId: string;
  kind: LedgerKind;
  amount: number;
  reason: string;
  actorId: string | null;
  idempotencyKey: string;
  /** Usage may overdraw (the data plane already spent it from Redis); admin deductions may not. */
  allowNegative: boolean;
}

export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} does not exist`);
    this.name = 'UnknownUserError';
  }
}

export class InsufficientBalanceError extends Error {
  constructor() {
    super('the balance would become negative');
    this.name = 'InsufficientBalanceError';
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException;
}

function isSqlEntityManager(em: EntityManager): em is SqlEntityManager {
  return em instanceof SqlEntityManager;
}

/** The chain_heads row that serialises ledger postings (see postLedgerEntry). */
export const LEDGER_CHAIN = 'ledger';

/**
 * Must run inside a transaction. Takes the chain head first: `update chain_heads ... returning` row-locks it (PG
 * waits, SQLite is single-writer), so concurrent postings queue up here and can never fork the chain; holding it, the
 * duplicate-key check below is exact. Then moves users.balance atomically in SQL (no read-modify-write race) and
 * appends the posting with its hash. Callers must not lock users rows before calling this (lock order: head, user).
 * A duplicate idempotency key throws a unique violation: the caller's transaction rolls back with everything in it.
 */
export async function postLedgerEntry(em: EntityManager, request: PostingRequest): Promise<LedgerEntry> {
  if (!isSqlEntityManager(em)) throw new Error('postLedgerEntry needs an SQL entity manager');
  // Outside a transaction the head would be released after each statement and two postings could share a parent.
  if (!em.isInTransaction()) throw new Error('postLedgerEntry must run inside a transaction');
  const heads = await em.execute<Array<{ sequence: number | string; hash: string }>>(
    'update "chain_heads" set "sequence" = "sequence" + 1 where "name" = ? returning "sequence", "hash"',
    [LEDGER_CHAIN],
    'all',
  );
  const head = heads[0];
  if (!head) throw new Error('the ledger chain head is missing (migrations not applied?)');
  // Undone on every early exit, so a caller that catches the error and commits anyway leaves no gap in the chain.
  const releaseHead = () => em.execute('update "chain_heads" set "sequence" = "sequence" - 1 where "name" = ?', [LEDGER_CHAIN], 'run');
  const duplicates = await em.execute<Array<{ id: string }>>('select "id" from "ledger_entries" where "idempotency_key" = ?', [request.idempotencyKey], 'all');
  if (duplicates.length > 0) {
    await releaseHead();
    throw new UniqueConstraintViolationException(new Error(`ledger idempotency key already posted: ${request.idempotencyKey}`));
  }
  const guard = request.allowNegative ? '' : ' and "balance" + ? >= 0';
  const bindings: Array<number | string> = [request.amount, request.userId];
  if (!request.allowNegative) bindings.push(request.amount);
  const rows = await em.execute<Array<{ balance: number | string }>>(
    `update "users" set "balance" = "balance" + ? where "id" = ?${guard} returning "balance"`,
    bindings,
    'all',
  );
  const row = rows[0];
  if (!row) {
    await releaseHead();
    const exists = (await em.count(User, { id: request.userId })) > 0;
    throw exists ? new InsufficientBalanceError() : new UnknownUserError(request.userId);
  }
  const fields = {
    sequence: Number(head.sequence),
    id: randomUUID(),
    userId: request.userId,
    kind: request.kind,
    amount: request.amount,
    balanceAfter: Number(row.balance),
    reason: request.reason,
    actorId: request.actorId,
    idempotencyKey: request.idempotencyKey,
    // Whole milliseconds: what both databases store and hand back, so the hash recomputes exactly.
    createdAt: new Date(Date.now()),
  };
  const hash = computeLedgerHash(head.hash, fields);
  const entry = em.create(LedgerEntry, { ...fields, prevHash: head.hash, hash });
  await em.flush();
  await em.execute('update "chain_heads" set "hash" = ? where "name" = ?', [hash, LEDGER_CHAIN], 'run');
  return entry;
}

const VERIFY_BATCH_SIZE = 500;
const MAX_REPORTED_MISMATCHES = 100;

/** Walks the whole chain in sequence order (streamed in batches) and compares every balance with its ledger sum. */
export async function verifyLedger(em: EntityManager): Promise<LedgerVerification> {
  if (!isSqlEntityManager(em)) throw new Error('verifyLedger needs an SQL entity manager');
  const walk = startChainWalk();
  let broken: ChainBreak | null = null;
  for (;;) {
    const batch = await em.fork().find(LedgerEntry, { sequence: { $gt: walk.lastSequence } }, { orderBy: { sequence: 'asc' }, limit: VERIFY_BATCH_SIZE });
    if (batch.length === 0) break;
    broken = walkChain(walk, batch);
    if (broken) break;
  }
  const heads = await em.execute<Array<{ sequence: number | string; hash: string }>>('select "sequence", "hash" from "chain_heads" where "name" = ?', [LEDGER_CHAIN], 'all');
  const head = { sequence: Number(heads[0]?.sequence ?? 0), hash: heads[0]?.hash ?? '' };
  broken ??= checkChainHead(walk, head);
  const mismatchRows = await em.execute<Array<{ user_id: string; balance: number | string; ledger_sum: number | string }>>(
    'select "u"."id" as "user_id", "u"."balance" as "balance", coalesce(sum("l"."amount"), 0) as "ledger_sum" from "users" "u" ' +
      'left join "ledger_entries" "l" on "l"."user_id" = "u"."id" group by "u"."id", "u"."balance" ' +
      `having "u"."balance" <> coalesce(sum("l"."amount"), 0) order by "u"."id" limit ${MAX_REPORTED_MISMATCHES}`,
    [],
    'all',
  );
  const balanceMismatches: BalanceMismatch[] = mismatchRows.map((row) => ({ userId: row.user_id, balance: Number(row.balance), ledgerSum: Number(row.ledger_sum) }));
  return {
    ok: broken === null && balanceMismatches.length === 0,
    checkedEntries: walk.checked,
    headSequence: head.sequence,
    headHash: head.hash,
    firstBrokenEntryId: broken?.entryId ?? null,
    firstBrokenSequence: broken?.sequence ?? null,
    problem: broken?.problem ?? null,
    balanceMismatches,
  };
}

export class LedgerService {
  constructor(private readonly publisher: RedisPublisher) {}

  verifyLedger(em: EntityManager): Promise<LedgerVerification> {
    return verifyLedger(em);
  }

  listLedgerEntries(em: EntityManager, actor: Actor, first: number, after: string | null | undefined, userId: string | null | undefined): Promise<Connection<LedgerEntry>> {
    const ownerId = visibleOwnerId(actor, userId, 'ledger entries');
    return paginate(em, LedgerEntry, ownerId ? { userId: ownerId } : {}, first, after);
  }

  async adjustBalance(em: EntityManager, actor: Actor, input: AdjustBalanceInput): Promise<{ user: User; entry: LedgerEntry }> {
    const reason = input.reason.trim();
    assertThat(Number.isSafeInteger(input.amount) && input.amount !== 0, 'BAD_USER_INPUT', 'amount must be a non-zero integer');
    assertThat(reason.length >= 1 && reason.length <= 1024, 'BAD_USER_INPUT', 'reason must be 1-1024 characters');
    if (input.idempotencyKey !== null && input.idempotencyKey !== undefined) {
      assertThat(input.idempotencyKey.length >= 1 && input.idempotencyKey.length <= 200, 'BAD_USER_INPUT', 'idempotencyKey must be 1-200 characters');
    }
    // Namespaced so an admin-chosen key can never collide with a usage posting's key.
    const idempotencyKey = `adjustment:${input.idempotencyKey ?? randomUUID()}`;
    const existing = await em.findOne(LedgerEntry, { idempotencyKey });
    if (existing) return this.replayed(em, existing, input);
    let entry: LedgerEntry;
    try {
      entry = await em.transactional(async (transaction) => {
        const posted = await postLedgerEntry(transaction, {
          userId: input.userId, kind: 'adjustment', amount: input.amount, reason, actorId: actor.user?.id ?? null, idempotencyKey, allowNegative: false,
        });
        recordAudit(transaction, {
          actorId: actor.user?.id ?? null, action: 'balance.adjust', target: input.userId,
          after: { amount: posted.amount, balanceAfter: posted.balanceAfter, reason, idempotencyKey }, ip: actor.ip,
        });
        await transaction.flush();
        return posted;
      });
    } catch (error) {
      if (error instanceof UnknownUserError) throw appError('NOT_FOUND', 'user not found');
      if (error instanceof InsufficientBalanceError) throw appError('BAD_USER_INPUT', 'the balance would become negative');
      if (isUniqueViolation(error)) {
        // A concurrent request with the same key won the race: answer as a replay.
        const winner = await em.fork().findOne(LedgerEntry, { idempotencyKey });
        if (winner) return this.replayed(em, winner, input);
      }
      throw error;
    }
    // Spendable money follows the booked money; done after commit so Redis never holds credit SQL rolled back.
    await this.publisher.creditWalletOnce(entry);
    const user = await em.fork().findOneOrFail(User, { id: entry.userId });
    return { user, entry };
  }

  private async replayed(em: EntityManager, entry: LedgerEntry, input: AdjustBalanceInput): Promise<{ user: User; entry: LedgerEntry }> {
    if (entry.userId !== input.userId || entry.amount !== input.amount) {
      throw appError('CONFLICT', 'idempotencyKey was already used for a different adjustment');
    }
    // The first call may have committed and then failed before Redis was credited: the replay finishes that, once.
    await this.publisher.creditWalletOnce(entry);
    const user = await em.fork().findOneOrFail(User, { id: entry.userId });
    return { user, entry };
  }
}
