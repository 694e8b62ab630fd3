import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreatePlanInput {
  @Field(() => String)
  name!: string;

  @Field(() => SafeIntResolver, { description: 'Credits granted each period.' })
  allowance!: number;

  @Field(() => String, { description: 'day | week | month' })
  period!: string;

  @Field(() => SafeIntResolver, { nullable: true, description: 'null = no rollover.' })
  rolloverCap?: number | null;

  @Field(() => [String], { nullable: true, description: 'null = every model.' })
  models?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'null = every group.' })
  groups?: string[] | null;

  @Field(() => String, { nullable: true })
  price?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  active?: boolean | null;
}

@InputType({ description: 'Fields left out keep their value. Allowance changes apply from the next period.' })
export class UpdatePlanInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => SafeIntResolver, { nullable: true })
  allowance?: number | null;

  @Field(() => String, { nullable: true })
  period?: string | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Pass with clearRolloverCap to switch rollover off.' })
  rolloverCap?: number | null;

  @Field(() => Boolean, { nullable: true })
  clearRolloverCap?: boolean | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'True = every model.' })
  allModels?: boolean | null;

  @Field(() => [String], { nullable: true })
  groups?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'True = every group.' })
  allGroups?: boolean | null;

  @Field(() => String, { nullable: true })
  price?: string | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;
}

@InputType()
export class AssignPlanInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'null removes the plan (what is left of the allowance expires).' })
  planId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the plan ends (what is left expires, no further period is granted); null = until changed.' })
  endsAt?: Date | null;
}

@InputType({ description: 'Gives every current member of a user group the plan (users who join later are assigned one by one).' })
export class AssignPlanToGroupInput {
  @Field(() => String)
  group!: string;

  @Field(() => ID, { nullable: true, description: 'null removes the plan from every member.' })
  planId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the plan ends for every member; null = until changed.' })
  endsAt?: Date | null;
}
