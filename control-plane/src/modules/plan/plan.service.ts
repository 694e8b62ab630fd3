// Plans: admin CRUD, assignment to users, the per-period reset (used by the plan-reset job) and the plan postings
// usage billing writes. SQL is the book (sum of plan postings); Redis follows it after each commit, idempotently.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { redisKeys } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { isUniqueViolation } from '../ledger/ledger.service';
import { User } from '../user/user.entity';
import { addPeriods, nextAllowance, periodKeyOf, periodStartAfter, PLAN_PERIODS, type PlanPeriod } from './plan-period';
import { reconcileBalances, type MoneyDrift } from './money-reconcile';
import type { PlanRedis } from './plan-redis';
import { Plan, PlanPosting, PlanSubscription, type PlanPostingKind } from './plan.entity';
import type { AssignPlanInput, AssignPlanToGroupInput, CreatePlanInput, UpdatePlanInput } from './plan.input';
import type { PlanGrantHandler } from '../voucher/voucher.service';

function sqlOf(em: EntityManager): SqlEntityManager {
  if (!(em instanceof SqlEntityManager)) throw new Error('plans need an SQL entity manager');
  return em;
}

/** The SQL plan allowance of one user: the sum of their plan postings. */
export async function planAllowanceOf(em: EntityManager, userId: string): Promise<number> {
  const rows = await sqlOf(em).execute<Array<{ total: number | string | null }>>('select coalesce(sum("amount"), 0) as "total" from "plan_postings" where "user_id" = ?', [userId], 'all');
  return Number(rows[0]?.total ?? 0);
}

/** SQL plan allowance of every user that has plan postings. */
export async function planAllowances(em: EntityManager): Promise<Map<string, number>> {
  const rows = await sqlOf(em).execute<Array<{ user_id: string; total: number | string }>>('select "user_id", sum("amount") as "total" from "plan_postings" group by "user_id"', [], 'all');
  return new Map(rows.map((row) => [row.user_id, Number(row.total)]));
}

function addPosting(em: EntityManager, userId: string, kind: PlanPostingKind, amount: number, idempotencyKey: string, reason: string, periodKey: string | null): PlanPosting {
  return em.create(PlanPosting, { userId, kind, amount, idempotencyKey, reason, periodKey, createdAt: new Date() });
}

/** Usage billing: the plan part of one request, at most once per request id (must run in the billing transaction). */
export async function postPlanUsage(em: EntityManager, request: { userId: string; requestId: string; amount: number; model: string }): Promise<void> {
  addPosting(em, request.userId, 'plan_usage', -request.amount, `${request.requestId}:plan-usage`, `usage ${request.model} (${request.requestId})`, null);
  await em.flush();
}

/**
 * What is really left of a user's allowance when a period ends or a plan changes: SQL lags Redis by the usage the
 * workers have not booked yet, so expiring the SQL figure would expire money that was already spent and the queued
 * usage would then eat the new period. The smaller of the two is what is left (SQL alone when Redis has nothing).
 */
export async function remainingAllowance(em: EntityManager, planRedis: PlanRedis, userId: string): Promise<number> {
  const booked = await planAllowanceOf(em, userId);
  const live = await planRedis.allowance(userId);
  return live === null ? booked : Math.min(booked, live);
}

export type PlanResetOutcome = { userId: string; periodKey: string; outcome: 'reset' | 'already-reset' | 'skipped'; carried: number; granted: number };

/**
 * Starts the current period of one user's plan: what is left expires except the rollover (capped), the allowance is
 * granted. Once per (user, period key): the postings' idempotency keys are the guard, and the Redis move is keyed by a
 * marker, so a retried or duplicated job changes nothing.
 */
export async function resetPlanPeriod(em: EntityManager, planRedis: PlanRedis, userId: string, now: Date): Promise<PlanResetOutcome> {
  let periodKey = '';
  let carried = 0;
  let granted = 0;
  let outcome: PlanResetOutcome['outcome'] = 'reset';
  let leftAlone = false;
  // Reads first, then a transaction that writes before it reads (an SQLite read-then-write transaction fails at once
  // beside a busy usage worker). The unique period keys stop a second reset, and Redis moves by exactly the amounts
  // booked, so Redis == SQL holds either way.
  const reader = em.fork();
  const subscription = await reader.findOne(PlanSubscription, { userId });
  const plan = subscription ? await reader.findOne(Plan, { id: subscription.planId }) : null;
  if (!subscription || !plan || !plan.active) return { userId, periodKey, outcome: 'skipped', carried, granted };
  // An ended plan grants nothing more; the expiry job expires what is left and removes the subscription.
  if (hasEnded(subscription, now)) return { userId, periodKey, outcome: 'skipped', carried, granted };
  periodKey = periodKeyOf(plan.period, now);
  if (subscription.periodKey === periodKey) outcome = 'already-reset';
  try {
    if (outcome === 'reset') {
      await em.fork().transactional(async (transaction) => {
        // Write first: moving the period on, only if the subscription is still the one read above, takes its row
        // (PostgreSQL) or the write lock (SQLite) before what is left is read. A plan that ended or was reassigned
        // meanwhile is left to the expiry or the assignment, which already expired what was left.
        const still = await transaction.nativeUpdate(
          PlanSubscription,
          { id: subscription.id, planId: subscription.planId, endsAt: subscription.endsAt, periodKey: subscription.periodKey },
          { periodKey },
        );
        if (still !== 1) {
          leftAlone = true;
          return;
        }
        const next = nextAllowance(await remainingAllowance(transaction, planRedis, userId), plan.allowance, plan.rolloverCap);
        carried = next.carried;
        granted = next.granted;
        if (next.expired !== 0) addPosting(transaction, userId, 'plan_expiry', -next.expired, `plan-expiry:${userId}:${periodKey}`, `plan ${plan.name}: period ${periodKey} starts`, periodKey);
        addPosting(transaction, userId, 'plan_reset', next.granted, `plan-reset:${userId}:${periodKey}`, `plan ${plan.name}: allowance for ${periodKey}`, periodKey);
        await transaction.flush();
      });
    }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    outcome = 'already-reset';
  }
  // The Redis half, derived from what SQL booked for this period, so a retry after a crash moves exactly that once.
  const fresh = em.fork();
  const postings = await fresh.find(PlanPosting, { idempotencyKey: { $in: [`plan-expiry:${userId}:${periodKey}`, `plan-reset:${userId}:${periodKey}`] } });
  // Left alone: reset by another run that moved this period on first, or ended / reassigned meanwhile.
  if (leftAlone) outcome = postings.length > 0 ? 'already-reset' : 'skipped';
  if (postings.length > 0) {
    const delta = postings.reduce((sum, posting) => sum + posting.amount, 0);
    await planRedis.applyOnce(userId, redisKeys.planResetApplied(userId, periodKey), delta, await planAllowanceOf(fresh, userId));
  }
  return { userId, periodKey, outcome, carried, granted };
}

export function hasEnded(subscription: Pick<PlanSubscription, 'endsAt'>, now: Date): boolean {
  return subscription.endsAt !== null && subscription.endsAt.getTime() <= now.getTime();
}

/** Subscriptions whose end date has passed (the expiry job ends them), oldest first. */
export function endedSubscriptions(em: EntityManager, now: Date, limit: number): Promise<PlanSubscription[]> {
  return em.find(PlanSubscription, { endsAt: { $ne: null, $lte: now } }, { orderBy: { endsAt: 'asc', id: 'asc' }, limit });
}

/** Subscriptions ending after `now` and by `horizon` whose "ending soon" notice is not queued yet (a new end date clears the mark). */
export function subscriptionsToNotice(em: EntityManager, now: Date, horizon: Date, limit: number): Promise<PlanSubscription[]> {
  return em.find(PlanSubscription, { endsAt: { $gt: now, $lte: horizon }, expiryNoticeFor: null }, { orderBy: { endsAt: 'asc', id: 'asc' }, limit });
}

/** Records that the "ending soon" notice for this end date was queued; false when the end date changed meanwhile. */
export async function markExpiryNoticed(em: EntityManager, subscriptionId: string, endsAt: Date): Promise<boolean> {
  return (await em.nativeUpdate(PlanSubscription, { id: subscriptionId, endsAt }, { expiryNoticeFor: endsAt })) > 0;
}

export interface PlanEnd {
  subscriptionId: string;
  userId: string;
  planId: string;
  planName: string | null;
  endsAt: Date;
  /** Allowance that expired with the plan. */
  expired: number;
}

/**
 * Ends a subscription whose end date has passed: the plan stops paying for requests, what is left of the allowance
 * expires (one posting keyed by subscription and end date), Redis follows by that posting once, `beforeRemove` runs
 * (the job queues its notice there), then the subscription is removed. Every step is idempotent, so a run that
 * crashed part-way is finished by the next one; a subscription whose end date changed meanwhile is left alone.
 */
export async function endPlanSubscription(
  em: EntityManager,
  planRedis: PlanRedis,
  subscriptionId: string,
  now: Date,
  beforeRemove?: (ended: PlanEnd) => Promise<void>,
): Promise<PlanEnd | null> {
  const reader = em.fork();
  const subscription = await reader.findOne(PlanSubscription, { id: subscriptionId });
  if (!subscription || !subscription.endsAt || !hasEnded(subscription, now)) return null;
  const { userId, endsAt } = subscription;
  const plan = await reader.findOne(Plan, { id: subscription.planId });
  const marker = `${subscription.id}-${endsAt.getTime()}`;
  const idempotencyKey = `plan-end:${marker}`;
  // Stop plan spending first, so nothing more is reserved against an allowance that is about to expire.
  await planRedis.publishScope(userId, null);
  let changed = false;
  try {
    await em.fork().transactional(async (transaction) => {
      // Write first: it holds the subscription row (PostgreSQL locks it, SQLite takes its write lock) and proves it is
      // still the one that ended. An assignment or voucher that got in first changed it; this run then leaves it alone
      // instead of expiring an allowance that assignment already expired.
      const unchanged = await transaction.nativeUpdate(PlanSubscription, { id: subscription.id, planId: subscription.planId, endsAt }, { endsAt });
      if (unchanged !== 1) {
        changed = true;
        return;
      }
      const remaining = await remainingAllowance(transaction, planRedis, userId);
      if (remaining !== 0) addPosting(transaction, userId, 'plan_expiry', -remaining, idempotencyKey, `plan ${plan?.name ?? subscription.planId}: ended ${endsAt.toISOString()}`, null);
      recordAudit(transaction, { actorId: null, action: 'plan.end', target: userId, after: { planId: subscription.planId, endsAt: endsAt.toISOString(), expired: remaining }, ip: null });
      await transaction.flush();
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (changed) {
    // Plan spending goes back to whatever subscription the user has now.
    const current = await em.fork().findOne(PlanSubscription, { userId });
    const currentPlan = current ? await em.fork().findOne(Plan, { id: current.planId }) : null;
    await planRedis.publishScope(userId, current && !hasEnded(current, now) ? currentPlan : null);
    return null;
  }
  const fresh = em.fork();
  const posting = await fresh.findOne(PlanPosting, { idempotencyKey });
  if (posting) await planRedis.applyOnce(userId, redisKeys.planResetApplied(userId, `end-${marker}`), posting.amount, await planAllowanceOf(fresh, userId));
  const ended: PlanEnd = { subscriptionId: subscription.id, userId, planId: subscription.planId, planName: plan?.name ?? null, endsAt, expired: posting ? -posting.amount : 0 };
  if (beforeRemove) await beforeRemove(ended);
  await em.fork().nativeDelete(PlanSubscription, { id: subscription.id, endsAt });
  return ended;
}

/** Users whose plan resets on `period`, in pages (the reset job walks them all). */
export async function subscribersOf(em: EntityManager, period: PlanPeriod, offset: number, limit: number): Promise<string[]> {
  const plans = await em.find(Plan, { period, active: true }, { fields: ['id'] });
  if (plans.length === 0) return [];
  const subscriptions = await em.find(PlanSubscription, { planId: { $in: plans.map((plan) => plan.id) } }, { orderBy: { userId: 'asc' }, offset, limit });
  return subscriptions.map((subscription) => subscription.userId);
}

function readPeriod(value: string): PlanPeriod {
  const period = PLAN_PERIODS.find((candidate) => candidate === value);
  if (!period) throw appError('BAD_USER_INPUT', 'period must be day, week or month');
  return period;
}

function readNames(values: string[], what: string): string[] {
  const names = [...new Set(values.map((value) => value.trim()))];
  assertThat(names.every((name) => name.length > 0 && name.length <= 255), 'BAD_USER_INPUT', `${what} must be non-empty names`);
  return names;
}

function planSummary(plan: Plan): Record<string, unknown> {
  return { name: plan.name, allowance: plan.allowance, period: plan.period, rolloverCap: plan.rolloverCap, models: plan.models, groups: plan.groups, price: plan.price, active: plan.active };
}

export class PlanService {
  constructor(private readonly planRedis: PlanRedis, private readonly now: () => Date = () => new Date()) {}

  /**
   * Refills an empty (or flushed) Redis on start: each subscriber's scope, and the allowance from SQL where Redis has
   * none (SETNX, like the wallet: an existing value also reflects spend the workers have not booked yet).
   */
  async publishAll(em: EntityManager): Promise<void> {
    const plans = new Map((await em.find(Plan, {})).map((plan) => [plan.id, plan]));
    const allowances = await planAllowances(em);
    const subscriptions = await em.find(PlanSubscription, {});
    const now = this.now();
    for (const subscription of subscriptions) {
      // An ended plan the expiry job has not removed yet pays for nothing.
      await this.planRedis.publishScope(subscription.userId, hasEnded(subscription, now) ? null : (plans.get(subscription.planId) ?? null));
    }
    for (const [userId, allowance] of allowances) await this.planRedis.seedAllowance(userId, allowance);
  }

  /** Admin check of Redis against SQL; `drained` false means drift may just be usage the workers have not billed yet. */
  async reconcile(em: EntityManager): Promise<{ drained: boolean; pendingUsageJobs: number; users: number; drifts: MoneyDrift[] }> {
    const pendingUsageJobs = await this.planRedis.pendingUsageJobs();
    const result = await reconcileBalances({ fork: () => em.fork(), redis: this.planRedis.redis, log: () => undefined });
    return { drained: pendingUsageJobs === 0, pendingUsageJobs, ...result };
  }

  listPlans(em: EntityManager): Promise<Plan[]> {
    return em.find(Plan, {}, { orderBy: { name: 'asc' } });
  }

  listSubscriptions(em: EntityManager, userId: string | null | undefined): Promise<PlanSubscription[]> {
    return em.find(PlanSubscription, userId ? { userId } : {}, { orderBy: { userId: 'asc' } });
  }

  async createPlan(em: EntityManager, actor: Actor, input: CreatePlanInput): Promise<Plan> {
    const name = input.name.trim();
    assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
    assertThat(Number.isSafeInteger(input.allowance) && input.allowance >= 0, 'BAD_USER_INPUT', 'allowance must be a non-negative integer');
    const rolloverCap = input.rolloverCap ?? null;
    assertThat(rolloverCap === null || (Number.isSafeInteger(rolloverCap) && rolloverCap >= 0), 'BAD_USER_INPUT', 'rolloverCap must be a non-negative integer');
    if ((await em.count(Plan, { name })) > 0) throw appError('CONFLICT', 'a plan with that name exists');
    const plan = em.create(Plan, {
      name,
      allowance: input.allowance,
      period: readPeriod(input.period),
      rolloverCap,
      models: input.models ? readNames(input.models, 'models') : null,
      groups: input.groups ? readNames(input.groups, 'groups') : null,
      price: input.price?.trim() || null,
      active: input.active ?? true,
    });
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'plan.create', target: plan.id, after: planSummary(plan), ip: actor.ip });
    await em.flush();
    return plan;
  }

  async updatePlan(em: EntityManager, actor: Actor, input: UpdatePlanInput): Promise<Plan> {
    const plan = await em.findOne(Plan, { id: input.id });
    if (!plan) throw appError('NOT_FOUND', 'plan not found');
    const before = planSummary(plan);
    if (input.name !== null && input.name !== undefined) {
      const name = input.name.trim();
      assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
      plan.name = name;
    }
    if (input.allowance !== null && input.allowance !== undefined) {
      assertThat(Number.isSafeInteger(input.allowance) && input.allowance >= 0, 'BAD_USER_INPUT', 'allowance must be a non-negative integer');
      plan.allowance = input.allowance;
    }
    if (input.period) plan.period = readPeriod(input.period);
    if (input.clearRolloverCap) plan.rolloverCap = null;
    else if (input.rolloverCap !== null && input.rolloverCap !== undefined) {
      assertThat(Number.isSafeInteger(input.rolloverCap) && input.rolloverCap >= 0, 'BAD_USER_INPUT', 'rolloverCap must be a non-negative integer');
      plan.rolloverCap = input.rolloverCap;
    }
    if (input.allModels) plan.models = null;
    else if (input.models) plan.models = readNames(input.models, 'models');
    if (input.allGroups) plan.groups = null;
    else if (input.groups) plan.groups = readNames(input.groups, 'groups');
    if (input.price !== null && input.price !== undefined) plan.price = input.price.trim() || null;
    if (input.active !== null && input.active !== undefined) plan.active = input.active;
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'plan.update', target: plan.id, before, after: planSummary(plan), ip: actor.ip });
    try {
      await em.flush();
    } catch (error) {
      if (isUniqueViolation(error)) throw appError('CONFLICT', 'a plan with that name exists');
      throw error;
    }
    // Scope changes (models, groups, active) reach every subscriber's reserve script now.
    const subscriptions = await em.find(PlanSubscription, { planId: plan.id });
    for (const subscription of subscriptions) await this.planRedis.publishScope(subscription.userId, plan);
    return plan;
  }

  /**
   * Gives a user a plan (or none): what is left of the old allowance expires and the new plan's allowance for the
   * current period is granted at once. Redis follows after the commit, keyed by this assignment's id.
   */
  async assignPlan(em: EntityManager, actor: Actor, input: AssignPlanInput): Promise<PlanSubscription | null> {
    const user = await em.findOne(User, { id: input.userId });
    if (!user) throw appError('NOT_FOUND', 'user not found');
    const plan = input.planId ? await em.findOne(Plan, { id: input.planId }) : null;
    if (input.planId && !plan) throw appError('NOT_FOUND', 'plan not found');
    const endsAt = input.endsAt ?? null;
    assertThat(endsAt === null || plan !== null, 'BAD_USER_INPUT', 'endsAt needs a planId');
    assertThat(endsAt === null || endsAt.getTime() > this.now().getTime(), 'BAD_USER_INPUT', 'endsAt must be in the future');
    const existing = await em.fork().findOne(PlanSubscription, { userId: user.id });
    const result = await em.transactional((transaction) =>
      this.assignWithin(transaction, { userId: user.id, plan, endsAt, existing, assignment: randomUUID(), actorId: actor.user?.id ?? null, ip: actor.ip }),
    );
    await result.afterCommit();
    return result.subscription;
  }

  /**
   * A plan voucher's grant, run inside the redemption transaction (which already holds the write lock, so reading
   * here is safe on SQLite too); Redis follows after the redemption commits, keyed by the redemption's key.
   * A voucher for N periods grants N period allowances: this period's now, then one per reset, ending when the N-th
   * period ends. The same plan still running on such a voucher is renewed instead: its end moves N periods later.
   * Without N the plan runs until changed.
   */
  readonly grantFromVoucher: PlanGrantHandler = async (transaction, request) => {
    const plan = await transaction.findOne(Plan, { id: request.planId });
    if (!plan || !plan.active) throw appError('NOT_FOUND', 'the plan of this voucher no longer exists');
    const now = this.now();
    const existing = await transaction.findOne(PlanSubscription, { userId: request.userId });
    // A voucher for N periods cannot add to a subscription of the same plan that has no end: it would only shorten it.
    // Refused (the voucher stays unredeemed) rather than consumed for nothing.
    if (request.periods && existing && existing.planId === plan.id && !existing.endsAt) {
      throw appError('CONFLICT', 'you already have this plan without an end date; this voucher would not add anything');
    }
    if (request.periods && existing && existing.planId === plan.id && existing.endsAt && !hasEnded(existing, now)) {
      const endsAt = await this.extendSubscription(transaction, existing, plan, request.periods);
      recordAudit(transaction, { actorId: request.actorId, action: 'plan.renew', target: request.userId, after: { planId: plan.id, endsAt: endsAt.toISOString(), assignment: request.idempotencyKey }, ip: null });
      await transaction.flush();
      return;
    }
    const endsAt = request.periods ? periodStartAfter(plan.period, now, request.periods) : null;
    const result = await this.assignWithin(transaction, {
      userId: request.userId, plan, endsAt, existing, assignment: request.idempotencyKey, actorId: request.actorId, ip: null,
    });
    return result.afterCommit;
  };

  /**
   * Moves a running subscription's end `periods` later. The write is conditional on the end date just read, so two
   * renewals committing side by side (two vouchers redeemed at once; PostgreSQL runs them concurrently) cannot both
   * extend from the same old date: the one that finds the date moved reads it again and extends from there.
   */
  private async extendSubscription(transaction: EntityManager, subscription: PlanSubscription, plan: Plan, periods: number): Promise<Date> {
    let current = subscription;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const from = current.endsAt;
      if (!from) break;
      const endsAt = addPeriods(plan.period, from, periods);
      const updated = await transaction.nativeUpdate(PlanSubscription, { userId: current.userId, planId: plan.id, endsAt: from }, { endsAt, expiryNoticeFor: null });
      if (updated === 1) {
        // The loaded entity learns the new values too, so a later flush writes nothing stale back.
        Object.assign(current, { endsAt, expiryNoticeFor: null });
        return endsAt;
      }
      const fresh = await transaction.findOne(PlanSubscription, { userId: current.userId }, { refresh: true });
      if (!fresh || fresh.planId !== plan.id) break;
      current = fresh;
    }
    throw appError('CONFLICT', 'the plan subscription changed while this voucher was redeemed; please try again');
  }

  private async assignWithin(
    transaction: EntityManager,
    input: { userId: string; plan: Plan | null; endsAt: Date | null; existing: PlanSubscription | null; assignment: string; actorId: string | null; ip: string | null },
  ): Promise<{ subscription: PlanSubscription | null; afterCommit: () => Promise<void> }> {
    const { userId, plan, endsAt, existing, assignment } = input;
    const now = this.now();
    // Write first (a no-op update of the user's subscription row): it takes the row (PostgreSQL) or the write lock
    // (SQLite) before anything is read, so what is left of the allowance is read after any plan expiry that got in
    // first, and an expiry that comes later sees the subscription changed and leaves it alone.
    if (existing) await transaction.nativeUpdate(PlanSubscription, { userId }, { userId });
    const remaining = await remainingAllowance(transaction, this.planRedis, userId);
    let delta = 0;
    if (remaining !== 0) {
      addPosting(transaction, userId, 'plan_expiry', -remaining, `plan-assign:${assignment}:expiry`, 'plan changed: the old allowance expires', null);
      delta -= remaining;
    }
    let subscription: PlanSubscription | null = null;
    if (plan) {
      const periodKey = periodKeyOf(plan.period, now);
      if (existing) {
        await transaction.nativeUpdate(PlanSubscription, { userId }, { planId: plan.id, periodKey, endsAt, expiryNoticeFor: null });
        subscription = Object.assign(existing, { planId: plan.id, periodKey, endsAt, expiryNoticeFor: null });
      } else {
        subscription = transaction.create(PlanSubscription, { userId, planId: plan.id, periodKey, endsAt, createdAt: now });
      }
      addPosting(transaction, userId, 'plan_grant', plan.allowance, `plan-assign:${assignment}:grant`, `plan ${plan.name}: allowance for ${periodKey}`, periodKey);
      delta += plan.allowance;
    } else if (existing) {
      await transaction.nativeDelete(PlanSubscription, { userId });
    }
    recordAudit(transaction, { actorId: input.actorId, action: 'plan.assign', target: userId, after: { planId: plan?.id ?? null, endsAt: endsAt?.toISOString() ?? null, assignment }, ip: input.ip });
    await transaction.flush();
    const afterCommit = async () => {
      await this.planRedis.applyOnce(userId, redisKeys.planResetApplied(userId, `assign-${assignment}`), delta, await planAllowanceOf(transaction.fork(), userId));
      await this.planRedis.publishScope(userId, plan);
    };
    return { subscription, afterCommit };
  }

  /** One assignment per current member (each its own transaction, so one failure does not undo the others). */
  async assignPlanToGroup(em: EntityManager, actor: Actor, input: AssignPlanToGroupInput): Promise<number> {
    const group = input.group.trim();
    assertThat(group.length >= 1 && group.length <= 64, 'BAD_USER_INPUT', 'group must be 1-64 characters');
    if (input.planId && !(await em.findOne(Plan, { id: input.planId }))) throw appError('NOT_FOUND', 'plan not found');
    const members = await em.find(User, { group }, { fields: ['id'], orderBy: { id: 'asc' } });
    for (const member of members) await this.assignPlan(em.fork(), actor, { userId: member.id, planId: input.planId ?? null, endsAt: input.endsAt ?? null });
    return members.length;
  }
}
