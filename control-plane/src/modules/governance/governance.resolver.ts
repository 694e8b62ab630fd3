import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { GovernanceRuleEntity } from './governance-rule.entity';
import { CreateGovernanceRuleInput, DeleteGovernanceRuleInput, UpdateGovernanceRuleInput } from './governance.input';

@ObjectType()
export class GovernanceRulePayload {
  @Field(() => GovernanceRuleEntity)
  rule!: GovernanceRuleEntity;
}

@ObjectType()
export class DeleteGovernanceRulePayload {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => GovernanceRuleEntity)
export class GovernanceResolver {
  @Authorized(ADMIN_ROLES)
  @Query(() => [GovernanceRuleEntity])
  governanceRules(@Ctx() context: GraphqlContext): Promise<GovernanceRuleEntity[]> {
    return context.services.governance.list(context.em);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => GovernanceRulePayload)
  async createGovernanceRule(@Ctx() context: GraphqlContext, @Arg('input', () => CreateGovernanceRuleInput) input: CreateGovernanceRuleInput): Promise<GovernanceRulePayload> {
    return { rule: await context.services.governance.create(context.em, context, input) };
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => GovernanceRulePayload)
  async updateGovernanceRule(@Ctx() context: GraphqlContext, @Arg('input', () => UpdateGovernanceRuleInput) input: UpdateGovernanceRuleInput): Promise<GovernanceRulePayload> {
    return { rule: await context.services.governance.update(context.em, context, input) };
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => DeleteGovernanceRulePayload)
  async deleteGovernanceRule(@Ctx() context: GraphqlContext, @Arg('input', () => DeleteGovernanceRuleInput) input: DeleteGovernanceRuleInput): Promise<DeleteGovernanceRulePayload> {
    return { id: await context.services.governance.delete(context.em, context, input.id) };
  }
}
