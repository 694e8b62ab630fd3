// A top-up order: created before the user pays, turned "paid" exactly once by a verified provider callback.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

export type PaymentProvider = 'stripe' | 'epay';
export type PaymentOrderStatus = 'pending' | 'paid' | 'failed';

@ObjectType()
@Entity({ tableName: 'payment_orders' })
@Index({ properties: ['userId', 'createdAt'] })
@Unique({ properties: ['provider', 'externalId'] })
export class PaymentOrder {
  [OptionalProps]?: 'id' | 'status' | 'method' | 'externalId' | 'ledgerEntryId' | 'paidAt' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String, { description: 'stripe | epay' })
  @Property({ type: 'string', length: 16 })
  provider!: PaymentProvider;

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  userId!: string;

  @Field(() => String, { description: 'pending | paid | failed' })
  @Property({ type: 'string', length: 16 })
  status: PaymentOrderStatus = 'pending';

  @Field(() => String, { description: 'ISO currency of amountMinor, lower case (usd, cny).' })
  @Property({ type: 'string', length: 8 })
  currency!: string;

  @Field(() => SafeIntResolver, { description: 'Price in the currency\'s minor unit (cents, fen).' })
  @Property({ type: new BigIntType('number') })
  amountMinor!: number;

  @Field(() => SafeIntResolver, { description: 'Credits booked when the payment is confirmed.' })
  @Property({ type: new BigIntType('number') })
  credits!: number;

  @Field(() => String, { nullable: true, description: 'Epay payment type (alipay, wxpay, ...).' })
  @Property({ type: 'string', length: 32, nullable: true })
  method: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  externalId: string | null = null;

  @Property({ type: 'string', length: 36, nullable: true })
  ledgerEntryId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  paidAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
