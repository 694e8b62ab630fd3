import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { User } from '../user/user.entity';
import { AdjustBalanceInput } from './ledger.input';
import { LedgerEntry } from './ledger-entry.entity';

@ObjectType()
export class AdjustBalancePayload {
  @Field(() => User)
  user!: User;

  @Field(() => LedgerEntry)
  entry!: LedgerEntry;
}

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  @Authorized(ADMIN_ROLES)
  @Mutation(() => AdjustBalancePayload)
  adjustBalance(@Ctx() context: GraphqlContext, @Arg('input', () => AdjustBalanceInput) input: AdjustBalanceInput): Promise<AdjustBalancePayload> {
    return context.services.ledger.adjustBalance(context.em, context, input);
  }
}
