import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { visibleOwnerId } from '../actor';
import { Plan, PlanSubscription } from './plan.entity';
import { AssignPlanInput, CreatePlanInput, UpdatePlanInput } from './plan.input';

@Resolver(() => Plan)
export class PlanResolver {
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
}
