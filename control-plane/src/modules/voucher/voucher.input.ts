// GraphQL inputs for voucher generation and redemption.
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreateVouchersInput {
  @Field(() => Int, { nullable: true, description: 'How many random codes to generate (1-1000, default 1). Must be 1 with giftCode.' })
  count?: number | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Credits each redemption grants (credit vouchers).' })
  amount?: number | null;

  @Field(() => ID, { nullable: true, description: 'Grant this plan instead of credits (plan vouchers).' })
  planId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan periods to grant (plan vouchers).' })
  planPeriods?: number | null;

  @Field(() => String, { nullable: true, description: 'Letters/digits put in front of generated codes, e.g. GIFT -> GIFT-XXXX-XXXX-...' })
  prefix?: string | null;

  @Field(() => String, { nullable: true, description: 'An admin-chosen global gift code (6-64 letters/digits) instead of a random one; usable once per user.' })
  giftCode?: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Redemptions allowed per code across all users. Default 1; gift codes default to unlimited.' })
  maxRedemptions?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true: each user may redeem a code at most once.' })
  oncePerUser?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Models the grant is meant for (stored with the voucher).' })
  models?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only users in these groups may redeem.' })
  groups?: string[] | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class RedeemVoucherInput {
  @Field(() => String)
  code!: string;
}
