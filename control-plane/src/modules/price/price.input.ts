import { SafeIntResolver } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class SetModelPriceInput {
  @Field(() => String)
  model!: string;

  @Field(() => SafeIntResolver)
  inputPerMillion!: number;

  @Field(() => SafeIntResolver)
  outputPerMillion!: number;

  @Field(() => SafeIntResolver, { nullable: true })
  cacheReadPerMillion?: number | null;

  @Field(() => SafeIntResolver, { nullable: true })
  cacheWritePerMillion?: number | null;

  @Field(() => SafeIntResolver, { nullable: true, defaultValue: 0 })
  perCall?: number | null;

  @Field(() => Int, { nullable: true })
  defaultMaxOutputTokens?: number | null;
}
