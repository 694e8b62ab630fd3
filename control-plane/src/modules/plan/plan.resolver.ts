import { SafeIntResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { visibleOwnerId } from '../actor';
import { Plan, PlanSubscription } from './plan.entity';
import { AssignPlanInput, AssignPlanToGroupInput, CreatePlanInput, UpdatePlanInput } from './plan.input';

@ObjectType({ description: 'One balance where Redis (spendable + open reservations) and SQL disagree.' })
export class MoneyDriftEntry {
  @Field(() => ID)
  userId!: string;

  @Field(() => String, { description: 'wallet | plan' })
  kind!: string;

  @Field(() => SafeIntResolver, { description: 'SQL balance, or the sum of plan postings.' })
  sql!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Redis value; null when the key is missing.' })
  redis!: number | null;

  @Field(() => SafeIntResolver, { description: 'Credits held by open reservations.' })
  reserved!: number;

  @Field(() => SafeIntResolver, { description: 'redis + reserved - sql.' })
  drift!: number;
}

@ObjectType()
export class MoneyReconciliation {
  @Field(() => Boolean, { description: 'False: usage jobs are pending, so drift may be usage not billed yet.' })
  drained!: boolean;

  @Field(() => Int)
  pendingUsageJobs!: number;

  @Field(() => Int)
  users!: number;

  @Field(() => [MoneyDriftEntry])
  drifts!: MoneyDriftEntry[];
}

@Resolver(() => Plan)
export class PlanResolver {
  @Authorized(ADMIN_ROLES)
  @Query(() => MoneyReconciliation, { description: 'Compares Redis spendable balances with SQL for every user (wallet and plan allowance). Reports; never corrects.' })
  moneyReconciliation(@Ctx() context: GraphqlContext): Promise<MoneyReconciliation> {
    return context.services.plans.reconcile(context.em);
  }

  @Authorized(ADMIN_ROLES)
  @Query(() => [Plan], { description: 'Every plan, by name.' })
  plans(@Ctx() context: GraphqlContext): Promise<Plan[]> {
    return context.services.plans.listPlans(context.em);
  }

  @Authorized()
  @Query(() => [PlanSubscription], { description: "Who has which plan. Users see their own; admins all, or one user's with userId." })
  planSubscriptions(@Ctx() context: GraphqlContext, @Arg('userId', () => ID, { nullable: true }) userId?: string | null): Promise<PlanSubscription[]> {
    return context.services.plans.listSubscriptions(context.em, visibleOwnerId(context, userId, 'plan'));
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => Plan)
  createPlan(@Ctx() context: GraphqlContext, @Arg('input', () => CreatePlanInput) input: CreatePlanInput): Promise<Plan> {
    return context.services.plans.createPlan(context.em, context, input);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => Plan)
  updatePlan(@Ctx() context: GraphqlContext, @Arg('input', () => UpdatePlanInput) input: UpdatePlanInput): Promise<Plan> {
    return context.services.plans.updatePlan(context.em, context, input);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => PlanSubscription, { nullable: true, description: 'Gives a user a plan (granting this period at once), or none with planId null.' })
  assignPlan(@Ctx() context: GraphqlContext, @Arg('input', () => AssignPlanInput) input: AssignPlanInput): Promise<PlanSubscription | null> {
    return context.services.plans.assignPlan(context.em, context, input);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => Int, { description: 'Assigns the plan (or none) to every current member of a user group; returns how many.' })
  assignPlanToGroup(@Ctx() context: GraphqlContext, @Arg('input', () => AssignPlanToGroupInput) input: AssignPlanToGroupInput): Promise<number> {
    return context.services.plans.assignPlanToGroup(context.em, context, input);
  }
}
