import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { CreateTokenInput, RevokeTokenInput } from './token.input';
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
  @Mutation(() => TokenPayload)
  async revokeToken(@Ctx() context: GraphqlContext, @Arg('input', () => RevokeTokenInput) input: RevokeTokenInput): Promise<TokenPayload> {
    return { token: await context.services.tokens.revokeToken(context.em, context, input.id) };
  }
}
