import { Field, ID, InputType, Int } from 'type-graphql';
import { GovernanceAction } from './governance-rule.entity';

@InputType()
export class GovernanceRuleInput {
  @Field(() => String)
  name!: string;

  @Field(() => Int, { defaultValue: 0 })
  order!: number;

  @Field(() => Boolean, { defaultValue: true })
  enabled!: boolean;

  @Field(() => [String], { defaultValue: [] })
  patterns!: string[];

  @Field(() => [String], { defaultValue: [] })
  keywords!: string[];

  @Field(() => Boolean, { defaultValue: false })
  caseSensitive!: boolean;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => [String], { nullable: true })
  paths?: string[] | null;

  @Field(() => [String], { nullable: true })
  groups?: string[] | null;

  @Field(() => [String], { nullable: true })
  tokenIds?: string[] | null;

  @Field(() => GovernanceAction)
  action!: GovernanceAction;

  @Field(() => String, { defaultValue: '***' })
  maskWith!: string;

  @Field(() => String, { nullable: true })
  rerouteModel?: string | null;

  @Field(() => String, { nullable: true })
  blockMessage?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => Boolean, { defaultValue: false })
  recordMatch!: boolean;
}

@InputType()
export class CreateGovernanceRuleInput extends GovernanceRuleInput {}

@InputType()
export class UpdateGovernanceRuleInput extends GovernanceRuleInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class DeleteGovernanceRuleInput {
  @Field(() => ID)
  id!: string;
}
