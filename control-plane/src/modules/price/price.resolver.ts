import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { SetModelPriceInput } from './price.input';
import { ModelPrice } from './price.entity';
import {
  ApplyDefaultPricesInput,
  ApplyDefaultPricesPayload,
  DeleteModelPriceInput,
  DeleteModelPricePayload,
  ImportPriceRatiosInput,
  ImportPriceRatiosPayload,
  PriceQuote,
  PriceQuoteInput,
} from './price.types';

@ObjectType()
export class ModelPricePayload {
  @Field(() => ModelPrice)
  price!: ModelPrice;
}

@Resolver(() => ModelPrice)
export class PriceResolver {
  // Prices are what users pay, so any signed-in user may read them.
  @Authorized()
  @Query(() => [ModelPrice])
  modelPrices(@Ctx() context: GraphqlContext): Promise<ModelPrice[]> {
    return context.services.prices.listPrices(context.em);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => ModelPricePayload)
  async setModelPrice(@Ctx() context: GraphqlContext, @Arg('input', () => SetModelPriceInput) input: SetModelPriceInput): Promise<ModelPricePayload> {
    return { price: await context.services.prices.setModelPrice(context.em, context, input) };
  }

  @Authorized()
  @Query(() => PriceQuote, { description: "What a request with these token counts costs, exactly as it would be billed (the caller's group unless given)." })
  priceQuote(@Ctx() context: GraphqlContext, @Arg('input', () => PriceQuoteInput) input: PriceQuoteInput): Promise<PriceQuote> {
    return context.services.prices.quote(context.em, context, input);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => ImportPriceRatiosPayload, { description: 'Import one-api / new-api ratios: preview with apply=false, save with apply=true.' })
  importPriceRatios(@Ctx() context: GraphqlContext, @Arg('input', () => ImportPriceRatiosInput) input: ImportPriceRatiosInput): Promise<ImportPriceRatiosPayload> {
    return context.services.prices.importRatios(context.em, context, input.document, input.apply);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => ApplyDefaultPricesPayload, { description: 'Price well-known models at their providers\' list prices.' })
  applyDefaultPrices(@Ctx() context: GraphqlContext, @Arg('input', () => ApplyDefaultPricesInput) input: ApplyDefaultPricesInput): Promise<ApplyDefaultPricesPayload> {
    return context.services.prices.applyDefaults(context.em, context, input.overwrite);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => DeleteModelPricePayload)
  async deleteModelPrice(@Ctx() context: GraphqlContext, @Arg('input', () => DeleteModelPriceInput) input: DeleteModelPriceInput): Promise<DeleteModelPricePayload> {
    return { model: await context.services.prices.deletePrice(context.em, context, input.model) };
  }
}
