// Top-up over GraphQL: which providers are on, start a Stripe Checkout or an Epay order, list orders.
import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType, type Connection } from '../../graphql/pagination';
import { PaymentOrder } from './payment-order.entity';

@InputType()
export class CreateStripeCheckoutInput {
  @Field(() => Int, { description: 'US cents to pay (100 = $1.00 = 1,000,000 credits).' })
  amountCents!: number;
}

@InputType()
export class CreateEpayOrderInput {
  @Field(() => Int, { description: 'Fen to pay (100 = ¥1.00).' })
  amountFen!: number;

  @Field(() => String, { description: 'Epay payment type, e.g. alipay or wxpay.' })
  method!: string;
}

@ObjectType()
export class TopUpMethods {
  @Field(() => Boolean)
  stripe!: boolean;

  @Field(() => Boolean)
  epay!: boolean;
}

@ObjectType()
export class StripeCheckoutPayload {
  @Field(() => PaymentOrder)
  order!: PaymentOrder;

  @Field(() => String, { description: 'Send the user here to pay.' })
  checkoutUrl!: string;
}

@ObjectType()
export class EpayOrderPayload {
  @Field(() => PaymentOrder)
  order!: PaymentOrder;

  @Field(() => String, { description: 'Send the user here to pay (signed Epay submit URL).' })
  payUrl!: string;
}

export const PaymentOrderConnection = connectionType('PaymentOrder', PaymentOrder);

@Resolver(() => PaymentOrder)
export class PaymentResolver {
  @Authorized()
  @Query(() => TopUpMethods, { description: 'Top-up providers this installation has enabled.' })
  topUpMethods(@Ctx() context: GraphqlContext): TopUpMethods {
    return { stripe: context.services.payments.stripeEnabled, epay: context.services.payments.epayEnabled };
  }

  @Authorized()
  @Query(() => PaymentOrderConnection, { description: "Top-up orders, newest first. Users see their own; admins all, or one user's with userId." })
  paymentOrders(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('userId', () => ID, { nullable: true }) userId?: string | null,
  ): Promise<Connection<PaymentOrder>> {
    return context.services.payments.listOrders(context.em, context, first, after, userId);
  }

  @Authorized()
  @Mutation(() => StripeCheckoutPayload)
  createStripeCheckout(@Ctx() context: GraphqlContext, @Arg('input', () => CreateStripeCheckoutInput) input: CreateStripeCheckoutInput): Promise<StripeCheckoutPayload> {
    return context.services.payments.createStripeCheckout(context.em, context, input.amountCents);
  }

  @Authorized()
  @Mutation(() => EpayOrderPayload)
  createEpayOrder(@Ctx() context: GraphqlContext, @Arg('input', () => CreateEpayOrderInput) input: CreateEpayOrderInput): Promise<EpayOrderPayload> {
    return context.services.payments.createEpayOrder(context.em, context, input.amountFen, input.method);
  }
}
