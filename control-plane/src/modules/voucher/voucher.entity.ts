// A redeemable code worth credits (or a plan grant). Only sha256(code) is looked up; the code itself is kept sealed
// (AES-GCM under CRYPTO_SECRET) so admins can export a batch as CSV, and is never returned by the Voucher type.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Authorized, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';

export enum VoucherKind {
  CREDIT = 'credit',
  PLAN = 'plan',
}
registerEnumType(VoucherKind, { name: 'VoucherKind' });

export enum VoucherStatus {
  ACTIVE = 'active',
  DISABLED = 'disabled',
}
registerEnumType(VoucherStatus, { name: 'VoucherStatus' });

@ObjectType()
@Entity({ tableName: 'vouchers' })
@Index({ properties: ['batchId'] })
@Index({ properties: ['createdAt', 'id'] })
export class Voucher {
  [OptionalProps]?: 'id' | 'amount' | 'planId' | 'planPeriods' | 'maxRedemptions' | 'redemptionCount' | 'oncePerUser' | 'models' | 'groups' | 'expiresAt' | 'status' | 'note' | 'createdBy' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  // Admin-only fields: a redeeming user gets the Voucher back and should not learn how the operator organises them.
  @Authorized(ADMIN_ROLES)
  @Field(() => ID, { description: 'Codes generated together share a batch (for CSV export).' })
  @Property({ type: 'string', length: 36 })
  batchId!: string;

  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  codeHash!: string;

  @Property({ type: 'string', length: 512, hidden: true })
  sealedCode!: string;

  @Field(() => String, { description: 'Prefix and last characters, e.g. GIFT-…7KQ2; enough to tell codes apart, not to redeem one.' })
  @Property({ type: 'string', length: 64 })
  codeHint!: string;

  @Field(() => VoucherKind)
  @Property({ type: 'string', length: 16 })
  kind!: VoucherKind;

  @Field(() => SafeIntResolver, { description: 'Credits granted (credit vouchers).' })
  @Property({ type: new BigIntType('number'), default: 0 })
  amount: number = 0;

  @Field(() => ID, { nullable: true, description: 'Plan granted (plan vouchers).' })
  @Property({ type: 'string', length: 64, nullable: true })
  planId: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Plan periods granted (plan vouchers); null = the plan\'s default.' })
  @Property({ type: 'integer', nullable: true })
  planPeriods: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Total redemptions allowed across all users; null = unlimited (gift codes).' })
  @Property({ type: 'integer', nullable: true })
  maxRedemptions: number | null = 1;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  redemptionCount: number = 0;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  oncePerUser: boolean = true;

  @Field(() => [String], { nullable: true, description: 'Models the granted value may be spent on (stored; not yet enforced by the data plane).' })
  @Property({ type: 'json', nullable: true })
  models: string[] | null = null;

  @Field(() => [String], { nullable: true, description: 'Only users in these groups may redeem.' })
  @Property({ type: 'json', nullable: true })
  groups: string[] | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => VoucherStatus)
  @Property({ type: 'string', length: 16 })
  status: VoucherStatus = VoucherStatus.ACTIVE;

  @Authorized(ADMIN_ROLES)
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  note: string | null = null;

  @Authorized(ADMIN_ROLES)
  @Field(() => ID, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  createdBy: string | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
