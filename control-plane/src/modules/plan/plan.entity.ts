// Plans (an allowance per period, spent before the wallet), who has which plan, and the plan allowance postings.
// The SQL plan allowance of a user is the sum of their plan postings, like the wallet is the sum of ledger postings.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { PlanPeriod } from './plan-period';

@ObjectType()
@Entity({ tableName: 'plans' })
export class Plan {
  [OptionalProps]?: 'id' | 'rolloverCap' | 'models' | 'groups' | 'price' | 'active' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 128, unique: true })
  name!: string;

  @Field(() => SafeIntResolver, { description: 'Credits granted each period.' })
  @Property({ type: new BigIntType('number') })
  allowance!: number;

  @Field(() => String, { description: 'day | week | month (UTC)' })
  @Property({ type: 'string', length: 16 })
  period!: PlanPeriod;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Most credits carried into the next period; null = no rollover.' })
  @Property({ type: new BigIntType('number'), nullable: true })
  rolloverCap: number | null = null;

  @Field(() => [String], { nullable: true, description: 'Models the allowance pays for; null = all. Other models spend the wallet only.' })
  @Property({ type: 'json', nullable: true })
  models: string[] | null = null;

  @Field(() => [String], { nullable: true, description: 'Groups the allowance pays for; null = all.' })
  @Property({ type: 'json', nullable: true })
  groups: string[] | null = null;

  @Field(() => String, { nullable: true, description: 'Display price, e.g. "$20 / month" (billing happens elsewhere).' })
  @Property({ type: 'string', length: 64, nullable: true })
  price: string | null = null;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@ObjectType()
@Entity({ tableName: 'plan_subscriptions' })
export class PlanSubscription {
  [OptionalProps]?: 'id' | 'endsAt' | 'expiryNoticeFor' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => ID)
  @Property({ type: 'string', length: 64, unique: true })
  userId!: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 36, index: true })
  planId!: string;

  @Field(() => String, { description: 'Period whose allowance was granted last, e.g. m-2026-11.' })
  @Property({ type: 'string', length: 32 })
  periodKey!: string;

  @Field(() => Date, { nullable: true, description: 'When the plan ends: what is left of the allowance expires and no further period is granted. null = until changed.' })
  @Property({ type: 'datetime', nullable: true, index: true })
  endsAt: Date | null = null;

  /** The `endsAt` whose "plan ending soon" notice was queued (a later end date gets its own notice). */
  @Property({ type: 'datetime', nullable: true })
  expiryNoticeFor: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

export const PLAN_POSTING_KINDS = ['plan_grant', 'plan_reset', 'plan_expiry', 'plan_usage', 'plan_adjustment'] as const;
export type PlanPostingKind = (typeof PLAN_POSTING_KINDS)[number];

@ObjectType()
@Entity({ tableName: 'plan_postings' })
@Index({ properties: ['userId', 'createdAt'] })
export class PlanPosting {
  [OptionalProps]?: 'id' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  userId!: string;

  @Field(() => String, { description: 'plan_grant | plan_reset | plan_expiry | plan_usage | plan_adjustment' })
  @Property({ type: 'string', length: 32 })
  kind!: PlanPostingKind;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  periodKey: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 255, unique: true })
  idempotencyKey!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 1024 })
  reason!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
