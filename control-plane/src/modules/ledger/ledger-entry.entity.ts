// One append-only money posting. The idempotency key makes every posting happen at most once.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

export const LEDGER_KINDS = ['topup', 'voucher', 'plan_grant', 'plan_reset', 'plan_expiry', 'usage', 'refund', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

@ObjectType()
@Entity({ tableName: 'ledger_entries' })
@Index({ properties: ['userId', 'createdAt'] })
export class LedgerEntry {
  [OptionalProps]?: 'id' | 'actorId' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  userId!: string;

  @Field(() => String, { description: 'topup | voucher | plan_grant | plan_reset | plan_expiry | usage | refund | adjustment' })
  @Property({ type: 'string', length: 32 })
  kind!: LedgerKind;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  balanceAfter!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 1024 })
  reason!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  actorId: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 255, unique: true })
  idempotencyKey!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => SafeIntResolver, { description: 'Position in the global hash chain (1, 2, 3, ... without gaps).' })
  @Property({ type: new BigIntType('number'), unique: true })
  sequence!: number;

  @Field(() => String, { description: 'hash of the posting before this one (64 zeros for the first).' })
  @Property({ type: 'string', length: 64 })
  prevHash!: string;

  @Field(() => String, { description: 'sha256 over prevHash and this posting\'s fields.' })
  @Property({ type: 'string', length: 64 })
  hash!: string;
}
