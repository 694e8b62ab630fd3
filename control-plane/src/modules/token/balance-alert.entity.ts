// A user's low-balance alert: when usage takes the balance from at/above the threshold to below it, the usage worker
// records one `balance.low` audit entry in the billing transaction (the hook a notifier reads).
import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType()
@Entity({ tableName: 'balance_alerts' })
export class BalanceAlert {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 64 })
  userId!: string;

  @Field(() => SafeIntResolver, { description: 'Alert when the balance drops below this many credits.' })
  @Property({ type: new BigIntType('number') })
  threshold!: number;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
