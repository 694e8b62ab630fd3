// Voucher generation, CSV export and redemption. A redemption happens exactly once however many requests race:
// a guarded counter update (row lock), a unique redemption row and the ledger's idempotency key, in one transaction.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { openSecret, sealSecret } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { isUniqueViolation, postLedgerEntry } from '../ledger/ledger.service';
import { Plan } from '../plan/plan.entity';
import { User } from '../user/user.entity';
import { CANONICAL_PATTERN, generateVoucherCode, hashVoucherCode, normalizeVoucherCode, PREFIX_PATTERN, voucherCodeHint } from './voucher-code';
import { toCsv } from './voucher-csv';
import type { CreateVouchersInput, RedeemVoucherInput } from './voucher.input';
import { Voucher, VoucherKind, VoucherStatus } from './voucher.entity';
import { VoucherRedemption } from './voucher-redemption.entity';

const MAX_COUNT = 1000;
const MAX_SCOPE_ITEMS = 100;
/** One answer for unknown, expired and disabled codes, so a guesser learns nothing about which it was. */
const NOT_REDEEMABLE = 'no valid voucher with this code';

export interface PlanGrantRequest {
  userId: string;
  planId: string;
  /** null: the plan's default length. */
  periods: number | null;
  idempotencyKey: string;
  actorId: string | null;
}

/**
 * Grants a plan inside the redemption's transaction (the plan module provides it): SQL only, idempotent on
 * idempotencyKey, throwing if the plan does not exist so the redemption rolls back. It may return an action to run
 * after the commit (moving the plan allowance in Redis), so Redis never holds a grant that SQL rolled back.
 */
export type PlanGrantHandler = (em: EntityManager, request: PlanGrantRequest) => Promise<AfterCommit | void>;
export type AfterCommit = () => Promise<void>;

export interface CreatedVouchers {
  batchId: string;
  codes: string[];
  vouchers: Voucher[];
}

export interface Redemption {
  voucher: Voucher;
  user: User;
  entry: LedgerEntry | null;
}

function readScope(values: string[] | null | undefined, what: string): string[] | null {
  if (values === null || values === undefined) return null;
  const cleaned = [...new Set(values.map((value) => value.trim()))];
  assertThat(cleaned.length >= 1 && cleaned.length <= MAX_SCOPE_ITEMS, 'BAD_USER_INPUT', `${what} must list 1-${MAX_SCOPE_ITEMS} entries`);
  assertThat(cleaned.every((value) => value.length >= 1 && value.length <= 255), 'BAD_USER_INPUT', `each of ${what} must be 1-255 characters`);
  return cleaned;
}

function isSqlEntityManager(em: EntityManager): em is SqlEntityManager {
  return em instanceof SqlEntityManager;
}

class RedemptionConflict extends Error {}

export class VoucherService {
  private planGrant: PlanGrantHandler | null = null;

  constructor(
    private readonly publisher: RedisPublisher,
    private readonly cryptoSecret: string,
  ) {}

  /** Plan vouchers can be created and redeemed once the plan module registers how a grant is applied. */
  setPlanGrantHandler(handler: PlanGrantHandler | null): void {
    this.planGrant = handler;
  }

  async createVouchers(em: EntityManager, actor: Actor, input: CreateVouchersInput): Promise<CreatedVouchers> {
    const isGift = input.giftCode !== null && input.giftCode !== undefined;
    const count = input.count ?? 1;
    assertThat(Number.isInteger(count) && count >= 1 && count <= MAX_COUNT, 'BAD_USER_INPUT', `count must be 1-${MAX_COUNT}`);
    assertThat(!isGift || count === 1, 'BAD_USER_INPUT', 'a gift code is one code: count must be 1');
    const kind = input.planId ? VoucherKind.PLAN : VoucherKind.CREDIT;
    if (kind === VoucherKind.CREDIT) {
      assertThat(Number.isSafeInteger(input.amount) && (input.amount ?? 0) > 0, 'BAD_USER_INPUT', 'amount must be a positive number of credits (or give planId)');
    } else {
      assertThat(input.amount === null || input.amount === undefined, 'BAD_USER_INPUT', 'give amount or planId, not both');
      assertThat(this.planGrant !== null, 'BAD_USER_INPUT', 'plan vouchers are not available yet');
      const periods = input.planPeriods;
      assertThat(periods === null || periods === undefined || (Number.isInteger(periods) && periods >= 1 && periods <= 120), 'BAD_USER_INPUT', 'planPeriods must be 1-120');
    }
    const prefix = input.prefix ? input.prefix.trim().toUpperCase() : null;
    assertThat(prefix === null || PREFIX_PATTERN.test(prefix), 'BAD_USER_INPUT', 'prefix must be 1-12 letters or digits');
    const giftCode = isGift ? normalizeVoucherCode(input.giftCode ?? '') : null;
    assertThat(giftCode === null || CANONICAL_PATTERN.test(giftCode), 'BAD_USER_INPUT', 'giftCode must be 6-64 letters or digits');
    const maxRedemptions = input.maxRedemptions === undefined ? (isGift ? null : 1) : input.maxRedemptions;
    assertThat(maxRedemptions === null || (Number.isInteger(maxRedemptions) && maxRedemptions >= 1 && maxRedemptions <= 1_000_000_000), 'BAD_USER_INPUT', 'maxRedemptions must be a positive integer (or null for unlimited)');
    const oncePerUser = input.oncePerUser ?? true;
    assertThat(!isGift || oncePerUser, 'BAD_USER_INPUT', 'gift codes are once per user');
    assertThat(!input.expiresAt || input.expiresAt.getTime() > Date.now(), 'BAD_USER_INPUT', 'expiresAt must be in the future');
    const note = input.note?.trim() || null;
    assertThat(note === null || note.length <= 255, 'BAD_USER_INPUT', 'note must be at most 255 characters');
    const models = readScope(input.models, 'models');
    const groups = readScope(input.groups, 'groups');

    if (kind === VoucherKind.PLAN) assertThat(await em.findOne(Plan, { id: input.planId ?? '' }), 'NOT_FOUND', 'plan not found');

    const batchId = randomUUID();
    const codes = giftCode !== null ? [giftCode] : Array.from({ length: count }, () => generateVoucherCode(prefix));
    try {
      const vouchers = await em.transactional(async (transaction) => {
        const created = codes.map((code) => transaction.create(Voucher, {
          batchId,
          codeHash: hashVoucherCode(normalizeVoucherCode(code), this.cryptoSecret),
          sealedCode: sealSecret(code, this.cryptoSecret),
          codeHint: voucherCodeHint(code),
          kind,
          amount: kind === VoucherKind.CREDIT ? (input.amount ?? 0) : 0,
          planId: kind === VoucherKind.PLAN ? (input.planId ?? null) : null,
          planPeriods: kind === VoucherKind.PLAN ? (input.planPeriods ?? null) : null,
          maxRedemptions,
          oncePerUser,
          models,
          groups,
          expiresAt: input.expiresAt ?? null,
          note,
          createdBy: actor.user?.id ?? null,
          createdAt: new Date(),
        }));
        recordAudit(transaction, {
          actorId: actor.user?.id ?? null, action: 'voucher.create', target: batchId,
          after: { batchId, count: codes.length, kind, amount: input.amount ?? null, planId: input.planId ?? null, maxRedemptions, oncePerUser, gift: isGift, expiresAt: input.expiresAt ?? null },
          ip: actor.ip,
        });
        await transaction.flush();
        return created;
      });
      return { batchId, codes, vouchers };
    } catch (error) {
      if (isUniqueViolation(error)) throw appError('CONFLICT', 'this gift code already exists');
      throw error;
    }
  }

  listVouchers(em: EntityManager, first: number, after: string | null | undefined, batchId: string | null | undefined): Promise<Connection<Voucher>> {
    return paginate(em, Voucher, batchId ? { batchId } : {}, first, after);
  }

  /** The batch's codes in clear, for printing or handing out. Audited: whoever exports holds redeemable money. */
  async exportBatchCsv(em: EntityManager, actor: Actor, batchId: string): Promise<string> {
    const vouchers = await em.find(Voucher, { batchId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    assertThat(vouchers.length > 0, 'NOT_FOUND', 'voucher batch not found');
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'voucher.export', target: batchId, after: { batchId, count: vouchers.length }, ip: actor.ip });
    await em.flush();
    const rows = vouchers.map((voucher) => [
      openSecret(voucher.sealedCode, this.cryptoSecret), voucher.kind, voucher.amount, voucher.planId, voucher.planPeriods,
      voucher.maxRedemptions, voucher.redemptionCount, voucher.oncePerUser, voucher.expiresAt?.toISOString() ?? null, voucher.status,
      voucher.models?.join(' ') ?? null, voucher.groups?.join(' ') ?? null, voucher.note,
    ]);
    return toCsv(['code', 'kind', 'amount', 'plan_id', 'plan_periods', 'max_redemptions', 'redemptions', 'once_per_user', 'expires_at', 'status', 'models', 'groups', 'note'], rows);
  }

  private async recreditRedemption(em: EntityManager, voucherId: string, userId: string): Promise<void> {
    const fresh = em.fork();
    const redemption = await fresh.findOne(VoucherRedemption, { voucherId, userId, ledgerEntryId: { $ne: null } });
    const entry = redemption?.ledgerEntryId ? await fresh.findOne(LedgerEntry, { id: redemption.ledgerEntryId }) : null;
    if (entry) await this.publisher.creditWalletOnce(entry);
  }

  async redeemVoucher(em: EntityManager, actor: Actor, input: RedeemVoucherInput): Promise<Redemption> {
    const user = actor.user;
    assertThat(user, 'UNAUTHENTICATED', 'sign in first');
    const canonical = normalizeVoucherCode(input.code.slice(0, 200));
    assertThat(CANONICAL_PATTERN.test(canonical), 'NOT_FOUND', NOT_REDEEMABLE);
    // Looked up by keyed hash through a unique index: no string comparison of the secret happens in our code.
    const voucher = await em.findOne(Voucher, { codeHash: hashVoucherCode(canonical, this.cryptoSecret) });
    const now = Date.now();
    assertThat(voucher && voucher.status === VoucherStatus.ACTIVE && (voucher.expiresAt === null || voucher.expiresAt.getTime() > now), 'NOT_FOUND', NOT_REDEEMABLE);
    assertThat(voucher.groups === null || voucher.groups.includes(user.group), 'FORBIDDEN', 'this voucher is not for your group');
    const planGrant = this.planGrant;
    assertThat(voucher.kind === VoucherKind.CREDIT || planGrant !== null, 'BAD_USER_INPUT', 'plan vouchers cannot be redeemed yet');

    let entry: LedgerEntry | null;
    // A holder, not a variable: TypeScript does not track assignments made inside the transaction callback.
    const afterCommit: { action: AfterCommit | null } = { action: null };
    try {
      entry = await em.transactional(async (transaction) => {
        if (!isSqlEntityManager(transaction)) throw new Error('redeemVoucher needs an SQL entity manager');
        // The guarded counter: the row lock serialises racing redemptions of one code, and the condition re-checked
        // under it means the last slot goes to exactly one of them.
        const counted = await transaction.execute<Array<{ redemption_count: number | string }>>(
          'update "vouchers" set "redemption_count" = "redemption_count" + 1 where "id" = ? and "status" = ? ' +
            'and ("max_redemptions" is null or "redemption_count" < "max_redemptions") returning "redemption_count"',
          [voucher.id, VoucherStatus.ACTIVE],
          'all',
        );
        const slot = counted[0];
        if (!slot) throw new RedemptionConflict('this voucher has already been fully redeemed');
        const ordinal = Number(slot.redemption_count);
        const suffix = voucher.oncePerUser ? '' : `:${ordinal}`;
        const redemption = transaction.create(VoucherRedemption, {
          voucherId: voucher.id, userId: user.id, redemptionKey: `${voucher.id}:${user.id}${suffix}`, amount: voucher.amount, createdAt: new Date(),
        });
        // Inserted before any money moves: a second redemption by the same user stops here on the unique key.
        await transaction.flush();
        const idempotencyKey = `voucher:${voucher.id}:${user.id}${suffix}`;
        let posted: LedgerEntry | null = null;
        if (voucher.kind === VoucherKind.CREDIT) {
          posted = await postLedgerEntry(transaction, {
            userId: user.id, kind: 'voucher', amount: voucher.amount, reason: `voucher ${voucher.codeHint}`, actorId: user.id, idempotencyKey, allowNegative: false,
          });
          redemption.ledgerEntryId = posted.id;
        } else if (planGrant && voucher.planId) {
          afterCommit.action = (await planGrant(transaction, { userId: user.id, planId: voucher.planId, periods: voucher.planPeriods, idempotencyKey, actorId: user.id })) ?? null;
        }
        recordAudit(transaction, {
          actorId: user.id, action: 'voucher.redeem', target: voucher.id,
          after: { userId: user.id, kind: voucher.kind, amount: voucher.amount, planId: voucher.planId, codeHint: voucher.codeHint, redemption: ordinal, ledgerEntryId: posted?.id ?? null },
          ip: actor.ip,
        });
        await transaction.flush();
        return posted;
      });
    } catch (error) {
      if (error instanceof RedemptionConflict) throw appError('CONFLICT', error.message);
      if (isUniqueViolation(error)) {
        // The earlier redemption may have committed and failed before Redis was credited: finish that, once.
        await this.recreditRedemption(em, voucher.id, user.id);
        throw appError('CONFLICT', 'you have already redeemed this voucher');
      }
      throw error;
    }
    // Spendable money follows booked money, after commit (Redis never holds credit that SQL rolled back).
    if (entry) await this.publisher.creditWalletOnce(entry);
    if (afterCommit.action) await afterCommit.action();
    const fresh = em.fork();
    return {
      voucher: await fresh.findOneOrFail(Voucher, { id: voucher.id }),
      user: await fresh.findOneOrFail(User, { id: user.id }),
      entry,
    };
  }
}
