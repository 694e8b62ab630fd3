import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { LimitsInput } from '../setting/setting.types';

@InputType()
export class CreateTokenInput {
  @Field(() => String)
  name!: string;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Spending cap in credits; with unlimitedQuota false.' })
  quota?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  unlimitedQuota?: boolean | null;
}

@InputType({ description: 'Fields left out keep their value.' })
export class UpdateTokenQuotaInput {
  @Field(() => ID)
  id!: string;

  @Field(() => SafeIntResolver, { nullable: true, description: 'New total cap in credits (what was billed already still counts).' })
  quota?: number | null;

  @Field(() => Boolean, { nullable: true })
  unlimitedQuota?: boolean | null;
}

@InputType()
export class SetTokenLimitsInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LimitsInput, { description: 'Each cap a positive whole number, or null for none.' })
  limits!: LimitsInput;
}

@InputType({ description: 'Only the fields given change; null clears. Only admins set the group.' })
export class UpdateTokenAccessInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  group?: string | null;

  @Field(() => [String], { nullable: true, description: 'IPv4/IPv6 addresses or CIDR ranges, e.g. 10.0.0.0/8.' })
  ipAllowList?: string[] | null;
}

@InputType()
export class RevokeTokenInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class SetLowBalanceAlertInput {
  @Field(() => ID, { nullable: true, description: 'Admins only; default: the caller.' })
  userId?: string | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Credits; null removes the alert.' })
  threshold?: number | null;
}
