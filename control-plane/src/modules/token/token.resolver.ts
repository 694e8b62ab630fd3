import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { BalanceAlert } from './balance-alert.entity';
import { CreateTokenInput, RevokeTokenInput, SetLowBalanceAlertInput, UpdateTokenQuotaInput, SetTokenLimitsInput, UpdateTokenAccessInput } from './token.input';
import { ApiToken } from './token.entity';

export const ApiTokenConnection = connectionType('ApiToken', ApiToken);

@ObjectType()
export class CreateTokenPayload {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field(() => String, { description: 'The whole key. Shown once; only its hash is stored.' })
  key!: string;
}

@ObjectType()
export class TokenPayload {
  @Field(() => ApiToken)
  token!: ApiToken;
}

@Resolver(() => ApiToken)
export class TokenResolver {
  @Authorized()
  @Query(() => ApiTokenConnection, { description: "The caller's own tokens (admins: pass userId to see another user's)." })
  tokens(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('userId', () => ID, { nullable: true }) userId?: string | null,
  ) {
    return context.services.tokens.listTokens(context.em, context, first, after, userId);
  }

  @Authorized()
  @Mutation(() => CreateTokenPayload)
  createToken(@Ctx() context: GraphqlContext, @Arg('input', () => CreateTokenInput) input: CreateTokenInput): Promise<CreateTokenPayload> {
    return context.services.tokens.createToken(context.em, context, input);
  }

  @Authorized()
  @Mutation(() => TokenPayload, { description: "Sets a key's IP allow-list (owner or admin) and routing group (admins)." })
  async updateTokenAccess(@Ctx() context: GraphqlContext, @Arg('input', () => UpdateTokenAccessInput) input: UpdateTokenAccessInput): Promise<TokenPayload> {
    return { token: await context.services.tokens.updateTokenAccess(context.em, context, input) };
  }

  @Authorized()
  @Mutation(() => TokenPayload, { description: "Sets a key's rate caps (owner or admin)." })
  async setTokenLimits(@Ctx() context: GraphqlContext, @Arg('input', () => SetTokenLimitsInput) input: SetTokenLimitsInput): Promise<TokenPayload> {
    return { token: await context.services.tokens.setTokenLimits(context.em, context, input) };
  }

  @Authorized()
  @Mutation(() => TokenPayload, { description: "Sets a key's spending cap or makes it unlimited (owner or admin)." })
  async updateTokenQuota(@Ctx() context: GraphqlContext, @Arg('input', () => UpdateTokenQuotaInput) input: UpdateTokenQuotaInput): Promise<TokenPayload> {
    return { token: await context.services.tokens.updateTokenQuota(context.em, context, input) };
  }

  @Authorized()
  @Query(() => BalanceAlert, { nullable: true, description: "The caller's low-balance alert (admins: pass userId)." })
  lowBalanceAlert(@Ctx() context: GraphqlContext, @Arg('userId', () => ID, { nullable: true }) userId?: string | null): Promise<BalanceAlert | null> {
    return context.services.tokens.lowBalanceAlert(context.em, context, userId);
  }

  @Authorized()
  @Mutation(() => BalanceAlert, { nullable: true, description: 'Sets (or with threshold null removes) a low-balance alert.' })
  setLowBalanceAlert(@Ctx() context: GraphqlContext, @Arg('input', () => SetLowBalanceAlertInput) input: SetLowBalanceAlertInput): Promise<BalanceAlert | null> {
    return context.services.tokens.setLowBalanceAlert(context.em, context, input);
  }

  @Authorized()
  @Mutation(() => TokenPayload)
  async revokeToken(@Ctx() context: GraphqlContext, @Arg('input', () => RevokeTokenInput) input: RevokeTokenInput): Promise<TokenPayload> {
    return { token: await context.services.tokens.revokeToken(context.em, context, input.id) };
  }
}
