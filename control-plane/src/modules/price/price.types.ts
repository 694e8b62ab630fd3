// GraphQL shapes for price import, defaults and quotes.
import { SafeIntResolver } from 'graphql-scalars';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { GroupMultiplier } from '../setting/setting.types';
import { ModelPrice } from './price.entity';

@InputType()
export class ImportPriceRatiosInput {
  @Field(() => String, { description: 'one-api / new-api ratio JSON: model_ratio, completion_ratio, cache_ratio, create_cache_ratio, model_price, group_ratio.' })
  document!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'false = preview only; true = save the prices and group multipliers.' })
  apply!: boolean;
}

@ObjectType()
export class ImportedPriceRow {
  @Field(() => String)
  model!: string;

  @Field(() => SafeIntResolver)
  inputPerMillion!: number;

  @Field(() => SafeIntResolver)
  outputPerMillion!: number;

  @Field(() => SafeIntResolver, { nullable: true })
  cacheReadPerMillion!: number | null;

  @Field(() => SafeIntResolver, { nullable: true })
  cacheWritePerMillion!: number | null;

  @Field(() => SafeIntResolver)
  perCall!: number;

  @Field(() => Boolean, { description: 'A price for this model exists already.' })
  existing!: boolean;

  @Field(() => Boolean, { description: 'Applying would change the stored price.' })
  changed!: boolean;
}

@ObjectType()
export class ImportPriceRatiosPayload {
  @Field(() => [ImportedPriceRow])
  prices!: ImportedPriceRow[];

  @Field(() => [GroupMultiplier])
  groupMultipliers!: GroupMultiplier[];

  @Field(() => Boolean)
  applied!: boolean;
}

@InputType()
export class ApplyDefaultPricesInput {
  @Field(() => Boolean, { defaultValue: false, description: 'Replace prices that exist already.' })
  overwrite!: boolean;
}

@ObjectType()
export class ApplyDefaultPricesPayload {
  @Field(() => [ModelPrice])
  prices!: ModelPrice[];

  @Field(() => [String], { description: 'Models left alone because they already had a price.' })
  skipped!: string[];
}

@InputType()
export class DeleteModelPriceInput {
  @Field(() => String)
  model!: string;
}

@ObjectType()
export class DeleteModelPricePayload {
  @Field(() => String)
  model!: string;
}

@InputType()
export class PriceQuoteInput {
  @Field(() => String)
  model!: string;

  @Field(() => Int, { defaultValue: 0 })
  promptTokens!: number;

  @Field(() => Int, { defaultValue: 0 })
  completionTokens!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Part of promptTokens read from the cache.' })
  cacheReadTokens!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Part of promptTokens written to the cache.' })
  cacheWriteTokens!: number;

  @Field(() => String, { nullable: true, description: "Price group; default: the caller's group." })
  group?: string | null;
}

@ObjectType()
export class PriceQuote {
  @Field(() => String)
  model!: string;

  @Field(() => Float)
  multiplier!: number;

  @Field(() => SafeIntResolver)
  input!: number;

  @Field(() => SafeIntResolver)
  output!: number;

  @Field(() => SafeIntResolver)
  cacheRead!: number;

  @Field(() => SafeIntResolver)
  cacheWrite!: number;

  @Field(() => SafeIntResolver)
  perCall!: number;

  @Field(() => SafeIntResolver, { description: 'Credits (1e-6 USD), the group multiplier applied.' })
  total!: number;

  @Field(() => String, { description: 'The total in USD, e.g. "$0.001234".' })
  totalUsd!: string;
}
