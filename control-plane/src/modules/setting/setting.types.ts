// GraphQL shapes of the gateway settings (the snapshot's settings + group multipliers), output and input.
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('Limits')
export class LimitsType {
  @Field(() => Int, { nullable: true, description: 'Requests per minute; null = no cap.' })
  requestsPerMinute!: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens per minute; null = no cap.' })
  tokensPerMinute!: number | null;

  @Field(() => Int, { nullable: true, description: 'Requests in flight at once; null = no cap.' })
  concurrentRequests!: number | null;
}

@InputType()
export class LimitsInput {
  @Field(() => Int, { nullable: true })
  requestsPerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  tokensPerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  concurrentRequests?: number | null;
}

@ObjectType()
export class RetrySettings {
  @Field(() => Int, { description: 'Upstream attempts per request, the first try included.' })
  maxAttempts!: number;

  @Field(() => Float, { description: 'Retries may add at most this share of first attempts, across all nodes (0.2 = 20 %).' })
  budgetRatio!: number;

  @Field(() => [Int], { description: 'Upstream statuses that move on to another channel.' })
  retryOnStatus!: number[];
}

@InputType()
export class RetrySettingsInput {
  @Field(() => Int, { nullable: true })
  maxAttempts?: number | null;

  @Field(() => Float, { nullable: true })
  budgetRatio?: number | null;

  @Field(() => [Int], { nullable: true })
  retryOnStatus?: number[] | null;
}

@ObjectType()
export class BreakerSettings {
  @Field(() => Int)
  windowSeconds!: number;

  @Field(() => Int)
  minimumRequests!: number;

  @Field(() => Float)
  failureRateThreshold!: number;

  @Field(() => Int)
  openSeconds!: number;
}

@InputType()
export class BreakerSettingsInput {
  @Field(() => Int, { nullable: true })
  windowSeconds?: number | null;

  @Field(() => Int, { nullable: true })
  minimumRequests?: number | null;

  @Field(() => Float, { nullable: true })
  failureRateThreshold?: number | null;

  @Field(() => Int, { nullable: true })
  openSeconds?: number | null;
}

@ObjectType()
export class SessionAffinitySettings {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => [String], { description: 'Request headers naming a conversation; the first present wins.' })
  headers!: string[];

  @Field(() => Int)
  ttlSeconds!: number;
}

@InputType()
export class SessionAffinitySettingsInput {
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [String], { nullable: true })
  headers?: string[] | null;

  @Field(() => Int, { nullable: true })
  ttlSeconds?: number | null;
}

@ObjectType()
export class GroupLimits {
  @Field(() => String)
  group!: string;

  @Field(() => LimitsType)
  limits!: LimitsType;
}

@InputType()
export class GroupLimitsInput {
  @Field(() => String)
  group!: string;

  @Field(() => LimitsInput)
  limits!: LimitsInput;
}

@ObjectType()
export class GroupMultiplier {
  @Field(() => String)
  group!: string;

  @Field(() => Float, { description: 'Price multiplier for users of this group (1 = list price).' })
  multiplier!: number;
}

@InputType()
export class GroupMultiplierInput {
  @Field(() => String)
  group!: string;

  @Field(() => Float)
  multiplier!: number;
}

@ObjectType()
export class GatewaySettings {
  @Field(() => Int, { description: 'Output tokens assumed when reserving for a request without max_tokens and no model default.' })
  defaultMaxOutputTokens!: number;

  @Field(() => Boolean, { description: 'Serve models without a price for free (true) or refuse them (false).' })
  allowUnpricedModels!: boolean;

  @Field(() => Int)
  maxRequestBodyBytes!: number;

  @Field(() => RetrySettings)
  retry!: RetrySettings;

  @Field(() => BreakerSettings)
  breaker!: BreakerSettings;

  @Field(() => SessionAffinitySettings)
  sessionAffinity!: SessionAffinitySettings;

  @Field(() => LimitsType, { description: 'Caps per client IP address.' })
  perIpLimits!: LimitsType;

  @Field(() => [GroupLimits], { description: 'Per-user caps by user group (a user or token with its own limits keeps them).' })
  groupLimits!: GroupLimits[];

  @Field(() => [GroupMultiplier])
  groupMultipliers!: GroupMultiplier[];
}

@InputType({ description: 'Only the fields given change; lists replace the whole list.' })
export class UpdateGatewaySettingsInput {
  @Field(() => Int, { nullable: true })
  defaultMaxOutputTokens?: number | null;

  @Field(() => Boolean, { nullable: true })
  allowUnpricedModels?: boolean | null;

  @Field(() => Int, { nullable: true })
  maxRequestBodyBytes?: number | null;

  @Field(() => RetrySettingsInput, { nullable: true })
  retry?: RetrySettingsInput | null;

  @Field(() => BreakerSettingsInput, { nullable: true })
  breaker?: BreakerSettingsInput | null;

  @Field(() => SessionAffinitySettingsInput, { nullable: true })
  sessionAffinity?: SessionAffinitySettingsInput | null;

  @Field(() => LimitsInput, { nullable: true })
  perIpLimits?: LimitsInput | null;

  @Field(() => [GroupLimitsInput], { nullable: true })
  groupLimits?: GroupLimitsInput[] | null;

  @Field(() => [GroupMultiplierInput], { nullable: true })
  groupMultipliers?: GroupMultiplierInput[] | null;
}

@ObjectType()
export class GatewaySettingsPayload {
  @Field(() => GatewaySettings)
  settings!: GatewaySettings;
}
