import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { User } from '../user/user.entity';
import { UsageLog } from './usage-log.entity';
import { UsageSummaryInput, UsageSummaryRow } from './usage-summary';

export const UsageLogConnection = connectionType('UsageLog', UsageLog);

@Resolver(() => UsageLog)
export class UsageResolver {
  @Authorized()
  @Query(() => UsageLogConnection, { description: "Newest first. Users see their own; admins all, or one user's with userId." })
  usageLogs(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('userId', () => ID, { nullable: true }) userId?: string | null,
  ) {
    return context.services.usage.listUsageLogs(context.em, context, first, after, userId);
  }

  @Authorized()
  @Query(() => [UsageSummaryRow], { description: 'Daily totals per model (UTC days) for charts. Users see their own; admins all, or one user.' })
  usageSummary(@Ctx() context: GraphqlContext, @Arg('input', () => UsageSummaryInput) input: UsageSummaryInput): Promise<UsageSummaryRow[]> {
    return context.services.usage.summary(context.em, context, input);
  }

  /** The user a row belongs to, batched per request through the DataLoader. */
  @FieldResolver(() => User, { nullable: true })
  user(@Root() log: UsageLog, @Ctx() context: GraphqlContext): Promise<User | null> {
    return context.loaders.userById.load(log.userId);
  }
}
