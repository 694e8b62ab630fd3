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
import { LedgerEntry, type LedgerKind } from './ledger-entry.entity';
import type { AdjustBalanceInput } from './ledger.input';

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

/**
 * Must run inside a transaction. Moves users.balance atomically in SQL (no read-modify-write race), then appends the
 * posting with the resulting balance. A duplicate idempotency key throws a unique violation at flush: the caller's
 * transaction rolls back, so the balance move is undone with it.
 */
export async function postLedgerEntry(em: EntityManager, request: PostingRequest): Promise<LedgerEntry> {
  if (!isSqlEntityManager(em)) throw new Error('postLedgerEntry needs an SQL entity manager');
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
    const exists = (await em.count(User, { id: request.userId })) > 0;
    throw exists ? new InsufficientBalanceError() : new UnknownUserError(request.userId);
  }
  const entry = em.create(LedgerEntry, {
    userId: request.userId,
    kind: request.kind,
    amount: request.amount,
    balanceAfter: Number(row.balance),
    reason: request.reason,
    actorId: request.actorId,
    idempotencyKey: request.idempotencyKey,
    createdAt: new Date(),
  });
  await em.flush();
  return entry;
}

export class LedgerService {
  constructor(private readonly publisher: RedisPublisher) {}

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
    await this.publisher.creditWallet(entry.userId, entry.amount, entry.balanceAfter);
    const user = await em.fork().findOneOrFail(User, { id: entry.userId });
    return { user, entry };
  }

  private async replayed(em: EntityManager, entry: LedgerEntry, input: AdjustBalanceInput): Promise<{ user: User; entry: LedgerEntry }> {
    if (entry.userId !== input.userId || entry.amount !== input.amount) {
      throw appError('CONFLICT', 'idempotencyKey was already used for a different adjustment');
    }
    const user = await em.fork().findOneOrFail(User, { id: entry.userId });
    return { user, entry };
  }
}
