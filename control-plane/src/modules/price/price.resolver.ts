import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { SetModelPriceInput } from './price.input';
import { ModelPrice } from './price.entity';

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
}
