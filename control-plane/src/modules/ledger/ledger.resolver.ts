import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType, type Connection } from '../../graphql/pagination';
import { User } from '../user/user.entity';
import { AdjustBalanceInput } from './ledger.input';
import { LedgerEntry } from './ledger-entry.entity';
import { LedgerVerification } from './ledger-verification.type';

@ObjectType()
export class AdjustBalancePayload {
  @Field(() => User)
  user!: User;

  @Field(() => LedgerEntry)
  entry!: LedgerEntry;
}

export const LedgerEntryConnection = connectionType('LedgerEntry', LedgerEntry);

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  @Authorized()
  @Query(() => LedgerEntryConnection, { description: "Money postings, newest first. Users see their own; admins all, or one user's with userId." })
  ledgerEntries(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('userId', () => ID, { nullable: true }) userId?: string | null,
  ): Promise<Connection<LedgerEntry>> {
    return context.services.ledger.listLedgerEntries(context.em, context, first, after, userId);
  }

  @Authorized(ADMIN_ROLES)
  @Query(() => LedgerVerification, { description: 'Walks the hash chain and reports the first broken posting; checks balance == sum of postings.' })
  verifyLedger(@Ctx() context: GraphqlContext): Promise<LedgerVerification> {
    return context.services.ledger.verifyLedger(context.em);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => AdjustBalancePayload)
  adjustBalance(@Ctx() context: GraphqlContext, @Arg('input', () => AdjustBalanceInput) input: AdjustBalanceInput): Promise<AdjustBalancePayload> {
    return context.services.ledger.adjustBalance(context.em, context, input);
  }
}
