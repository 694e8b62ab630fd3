// Price of one model in integer credits per 1M tokens (the fields of snapshotPriceSchema).
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
@Entity({ tableName: 'model_prices' })
export class ModelPrice {
  [OptionalProps]?: 'id' | 'inputPerMillion' | 'outputPerMillion' | 'cacheReadPerMillion' | 'cacheWritePerMillion' | 'perCall' | 'defaultMaxOutputTokens' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 255, unique: true })
  model!: string;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  inputPerMillion: number = 0;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  outputPerMillion: number = 0;

  @Field(() => SafeIntResolver, { nullable: true })
  @Property({ type: new BigIntType('number'), nullable: true })
  cacheReadPerMillion: number | null = null;

  @Field(() => SafeIntResolver, { nullable: true })
  @Property({ type: new BigIntType('number'), nullable: true })
  cacheWritePerMillion: number | null = null;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  perCall: number = 0;

  @Field(() => Int, { nullable: true, description: 'Output tokens assumed when reserving for a request without max_tokens; null = settings default.' })
  @Property({ type: 'integer', nullable: true })
  defaultMaxOutputTokens: number | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
