/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AdjustBalanceInput = {
  /** Credits; negative to deduct. */
  amount: number;
  /** Optional; a repeated key does nothing. */
  idempotencyKey?: string | null | undefined;
  reason: string;
  userId: string | number;
};

export type ApplyDefaultPricesInput = {
  /** Replace prices that exist already. */
  overwrite?: boolean;
};

export type AssignPlanInput = {
  /** When the plan ends (what is left expires, no further period is granted); null = until changed. */
  endsAt?: string | null | undefined;
  /** null removes the plan (what is left of the allowance expires). */
  planId?: string | number | null | undefined;
  userId: string | number;
};

/** Gives every current member of a user group the plan (users who join later are assigned one by one). */
export type AssignPlanToGroupInput = {
  /** When the plan ends for every member; null = until changed. */
  endsAt?: string | null | undefined;
  group: string;
  /** null removes the plan from every member. */
  planId?: string | number | null | undefined;
};

export type BreakerSettingsInput = {
  failureRateThreshold?: number | null | undefined;
  minimumRequests?: number | null | undefined;
  openSeconds?: number | null | undefined;
  windowSeconds?: number | null | undefined;
};

export type ChannelHealthStatus =
  | 'HEALTHY'
  | 'UNHEALTHY'
  | 'UNKNOWN';

/** How the data plane picks one of a channel's keys. */
export type ChannelKeySelection =
  | 'RANDOM'
  | 'ROUND_ROBIN';

export type ChannelKeyStatus =
  | 'AUTO_DISABLED'
  | 'DISABLED'
  | 'ENABLED';

export type ChannelStatus =
  | 'DISABLED'
  | 'ENABLED';

export type CreateChannelInput = {
  baseUrl: string;
  groups?: Array<string> | null | undefined;
  headerOverrides?: Record<string, unknown> | null | undefined;
  keySelection?: ChannelKeySelection | null | undefined;
  /** Upstream keys: a list, or one string with keys separated by newlines or commas. */
  keys: Array<string>;
  limits?: LimitsInput | null | undefined;
  modelMapping?: Record<string, unknown> | null | undefined;
  models: Array<string>;
  name: string;
  parameterOverrides?: Record<string, unknown> | null | undefined;
  priority?: number | null | undefined;
  statusCodeMapping?: Record<string, unknown> | null | undefined;
  tags?: Array<string> | null | undefined;
  type: string;
  weight?: number | null | undefined;
};

export type CreateEpayOrderInput = {
  /** Fen to pay (100 = ¥1.00). */
  amountFen: number;
  /** Epay payment type, e.g. alipay or wxpay. */
  method: string;
};

export type CreateGovernanceRuleInput = {
  action: GovernanceAction;
  blockMessage?: string | null | undefined;
  caseSensitive?: boolean;
  enabled?: boolean;
  groups?: Array<string> | null | undefined;
  keywords?: Array<string>;
  maskWith?: string;
  models?: Array<string> | null | undefined;
  name: string;
  order?: number;
  paths?: Array<string> | null | undefined;
  patterns?: Array<string>;
  recordMatch?: boolean;
  rerouteModel?: string | null | undefined;
  tag?: string | null | undefined;
  tokenIds?: Array<string> | null | undefined;
};

export type CreatePlanInput = {
  active?: boolean | null | undefined;
  /** Credits granted each period. */
  allowance: number;
  /** null = every group. */
  groups?: Array<string> | null | undefined;
  /** null = every model. */
  models?: Array<string> | null | undefined;
  name: string;
  /** day | week | month */
  period: string;
  price?: string | null | undefined;
  /** null = no rollover. */
  rolloverCap?: number | null | undefined;
};

export type CreateStripeCheckoutInput = {
  /** US cents to pay (100 = $1.00 = 1,000,000 credits). */
  amountCents: number;
};

export type CreateTokenInput = {
  expiresAt?: string | null | undefined;
  models?: Array<string> | null | undefined;
  name: string;
  /** Spending cap in credits; with unlimitedQuota false. */
  quota?: number | null | undefined;
  unlimitedQuota?: boolean | null | undefined;
};

export type CreateUserInput = {
  /** Address for notices (low balance, plan ending). */
  email?: string | null | undefined;
  group?: string | null | undefined;
  password: string;
  role?: Role | null | undefined;
  username: string;
};

export type CreateVouchersInput = {
  /** Credits each redemption grants (credit vouchers). */
  amount?: number | null | undefined;
  /** How many random codes to generate (1-1000, default 1). Must be 1 with giftCode. */
  count?: number | null | undefined;
  expiresAt?: string | null | undefined;
  /** An admin-chosen global gift code (6-64 letters/digits) instead of a random one; usable once per user. */
  giftCode?: string | null | undefined;
  /** Only users in these groups may redeem. */
  groups?: Array<string> | null | undefined;
  /** Redemptions allowed per code across all users. Default 1; gift codes default to unlimited. */
  maxRedemptions?: number | null | undefined;
  /** Models the grant is meant for (stored with the voucher). */
  models?: Array<string> | null | undefined;
  note?: string | null | undefined;
  /** Default true: each user may redeem a code at most once. */
  oncePerUser?: boolean | null | undefined;
  /** Grant this plan instead of credits (plan vouchers). */
  planId?: string | number | null | undefined;
  /** Plan periods to grant (plan vouchers). */
  planPeriods?: number | null | undefined;
  /** Letters/digits put in front of generated codes, e.g. GIFT -> GIFT-XXXX-XXXX-... */
  prefix?: string | null | undefined;
};

export type DeleteChannelInput = {
  id: string | number;
};

export type DeleteGovernanceRuleInput = {
  id: string | number;
};

export type DeleteModelPriceInput = {
  model: string;
};

/** What a matching rule does to the request. */
export type GovernanceAction =
  | 'BLOCK'
  | 'MASK'
  | 'REROUTE'
  | 'TAG';

export type GroupLimitsInput = {
  group: string;
  limits: LimitsInput;
};

export type GroupMultiplierInput = {
  group: string;
  multiplier: number;
};

export type ImportPriceRatiosInput = {
  /** false = preview only; true = save the prices and group multipliers. */
  apply?: boolean;
  /** one-api / new-api ratio JSON: model_ratio, completion_ratio, cache_ratio, create_cache_ratio, model_price, group_ratio. */
  document: string;
};

export type LimitsInput = {
  concurrentRequests?: number | null | undefined;
  requestsPerMinute?: number | null | undefined;
  tokensPerMinute?: number | null | undefined;
};

export type LoginInput = {
  password: string;
  username: string;
};

export type PriceQuoteInput = {
  /** Part of promptTokens read from the cache. */
  cacheReadTokens?: number;
  /** Part of promptTokens written to the cache. */
  cacheWriteTokens?: number;
  completionTokens?: number;
  /** Price group; default: the caller's group. */
  group?: string | null | undefined;
  model: string;
  promptTokens?: number;
};

export type RedeemVoucherInput = {
  code: string;
};

export type RetrySettingsInput = {
  budgetRatio?: number | null | undefined;
  maxAttempts?: number | null | undefined;
  retryOnStatus?: Array<number> | null | undefined;
};

export type RevokeTokenInput = {
  id: string | number;
};

export type Role =
  | 'ADMIN'
  | 'ROOT'
  | 'USER';

export type SessionAffinitySettingsInput = {
  enabled?: boolean | null | undefined;
  headers?: Array<string> | null | undefined;
  ttlSeconds?: number | null | undefined;
};

export type SetChannelKeyStatusInput = {
  channelId: string | number;
  /** true also clears an automatic disable by the data plane. */
  enabled: boolean;
  /** ChannelKey.id */
  keyId: string | number;
};

export type SetChannelsStatusInput = {
  /** Channels to change; give ids or tag, not both. */
  ids?: Array<string | number> | null | undefined;
  status: ChannelStatus;
  /** Every channel carrying this tag. */
  tag?: string | null | undefined;
};

export type SetModelPriceInput = {
  cacheReadPerMillion?: number | null | undefined;
  cacheWritePerMillion?: number | null | undefined;
  defaultMaxOutputTokens?: number | null | undefined;
  inputPerMillion: number;
  model: string;
  outputPerMillion: number;
  perCall?: number | null | undefined;
};

export type SetTokenLimitsInput = {
  id: string | number;
  /** Each cap a positive whole number, or null for none. */
  limits: LimitsInput;
};

export type TestChannelInput = {
  id: string | number;
  /** Key to test (ChannelKey.id); default: the first usable key. */
  keyId?: string | number | null | undefined;
  /** Model to ask for (before mapping); default: the channel's first model. */
  model?: string | null | undefined;
};

export type TokenStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'REVOKED';

export type UpdateChannelInput = {
  /** Keys appended to the channel. */
  addKeys?: Array<string> | null | undefined;
  baseUrl?: string | null | undefined;
  groups?: Array<string> | null | undefined;
  headerOverrides?: Record<string, unknown> | null | undefined;
  id: string | number;
  keySelection?: ChannelKeySelection | null | undefined;
  /** Replaces all keys when given; keys already on the channel keep their status. */
  keys?: Array<string> | null | undefined;
  limits?: LimitsInput | null | undefined;
  modelMapping?: Record<string, unknown> | null | undefined;
  models?: Array<string> | null | undefined;
  name?: string | null | undefined;
  parameterOverrides?: Record<string, unknown> | null | undefined;
  priority?: number | null | undefined;
  /** Ids (ChannelKey.id) of keys to remove. */
  removeKeyIds?: Array<string | number> | null | undefined;
  status?: ChannelStatus | null | undefined;
  statusCodeMapping?: Record<string, unknown> | null | undefined;
  tags?: Array<string> | null | undefined;
  type?: string | null | undefined;
  weight?: number | null | undefined;
};

/** Only the fields given change; lists replace the whole list. */
export type UpdateGatewaySettingsInput = {
  allowUnpricedModels?: boolean | null | undefined;
  breaker?: BreakerSettingsInput | null | undefined;
  defaultMaxOutputTokens?: number | null | undefined;
  groupLimits?: Array<GroupLimitsInput> | null | undefined;
  groupMultipliers?: Array<GroupMultiplierInput> | null | undefined;
  maxRequestBodyBytes?: number | null | undefined;
  perIpLimits?: LimitsInput | null | undefined;
  retry?: RetrySettingsInput | null | undefined;
  sessionAffinity?: SessionAffinitySettingsInput | null | undefined;
};

export type UpdateGovernanceRuleInput = {
  action: GovernanceAction;
  blockMessage?: string | null | undefined;
  caseSensitive?: boolean;
  enabled?: boolean;
  groups?: Array<string> | null | undefined;
  id: string | number;
  keywords?: Array<string>;
  maskWith?: string;
  models?: Array<string> | null | undefined;
  name: string;
  order?: number;
  paths?: Array<string> | null | undefined;
  patterns?: Array<string>;
  recordMatch?: boolean;
  rerouteModel?: string | null | undefined;
  tag?: string | null | undefined;
  tokenIds?: Array<string> | null | undefined;
};

/** Fields left out keep their value. Allowance changes apply from the next period. */
export type UpdatePlanInput = {
  active?: boolean | null | undefined;
  /** True = every group. */
  allGroups?: boolean | null | undefined;
  /** True = every model. */
  allModels?: boolean | null | undefined;
  allowance?: number | null | undefined;
  clearRolloverCap?: boolean | null | undefined;
  groups?: Array<string> | null | undefined;
  id: string | number;
  models?: Array<string> | null | undefined;
  name?: string | null | undefined;
  period?: string | null | undefined;
  price?: string | null | undefined;
  /** Pass with clearRolloverCap to switch rollover off. */
  rolloverCap?: number | null | undefined;
};

/** Fields left out keep their value. */
export type UpdateTokenQuotaInput = {
  id: string | number;
  /** New total cap in credits (what was billed already still counts). */
  quota?: number | null | undefined;
  unlimitedQuota?: boolean | null | undefined;
};

/** Only the fields given change. limits: null returns the user to the group defaults; email: null removes the address. */
export type UpdateUserInput = {
  /** Address for notices; null or an empty string removes it. */
  email?: string | null | undefined;
  group?: string | null | undefined;
  id: string | number;
  limits?: LimitsInput | null | undefined;
  /** A new password (8-256 characters); ends the user's sessions. */
  password?: string | null | undefined;
  role?: Role | null | undefined;
  status?: UserStatus | null | undefined;
};

export type UsageStatus =
  | 'CLIENT_ABORTED'
  | 'ERROR'
  | 'SUCCESS';

export type UsageSummaryInput = {
  /** First UTC day, YYYY-MM-DD. */
  from: string;
  /** Last UTC day (inclusive), YYYY-MM-DD. */
  to: string;
  /** Admins: one user's usage; users always see their own. */
  userId?: string | null | undefined;
};

export type UserStatus =
  | 'ACTIVE'
  | 'DISABLED';

export type VoucherKind =
  | 'CREDIT'
  | 'PLAN';

export type VoucherStatus =
  | 'ACTIVE'
  | 'DISABLED';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, role: Role } | null };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { user: { id: string, username: string, role: Role } } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type ChannelFieldsFragment = { id: string, name: string, type: string, baseUrl: string, models: Array<string>, modelMapping: Record<string, unknown>, parameterOverrides: Record<string, unknown>, headerOverrides: Record<string, unknown>, statusCodeMapping: Record<string, unknown>, groups: Array<string>, tags: Array<string>, priority: number, weight: number, status: ChannelStatus, keySelection: ChannelKeySelection, keyCount: number, keyHint: string, createdAt: string, keys: Array<{ id: string, hint: string, status: ChannelKeyStatus }>, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, health: { status: ChannelHealthStatus, autoDisabled: boolean, lastCheckedAt: string | null, latencyMs: number | null, consecutiveFailures: number, history: Array<{ at: string, outcome: string, latencyMs: number, httpStatus: number | null }>, balance: { amount: number, currency: string, checkedAt: string } | null } };

export type ChannelsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ChannelsQuery = { channels: { edges: Array<{ cursor: string, node: { id: string, name: string, type: string, baseUrl: string, models: Array<string>, modelMapping: Record<string, unknown>, parameterOverrides: Record<string, unknown>, headerOverrides: Record<string, unknown>, statusCodeMapping: Record<string, unknown>, groups: Array<string>, tags: Array<string>, priority: number, weight: number, status: ChannelStatus, keySelection: ChannelKeySelection, keyCount: number, keyHint: string, createdAt: string, keys: Array<{ id: string, hint: string, status: ChannelKeyStatus }>, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, health: { status: ChannelHealthStatus, autoDisabled: boolean, lastCheckedAt: string | null, latencyMs: number | null, consecutiveFailures: number, history: Array<{ at: string, outcome: string, latencyMs: number, httpStatus: number | null }>, balance: { amount: number, currency: string, checkedAt: string } | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateChannelMutationVariables = Exact<{
  input: CreateChannelInput;
}>;


export type CreateChannelMutation = { createChannel: { channel: { id: string, name: string, type: string, baseUrl: string, models: Array<string>, modelMapping: Record<string, unknown>, parameterOverrides: Record<string, unknown>, headerOverrides: Record<string, unknown>, statusCodeMapping: Record<string, unknown>, groups: Array<string>, tags: Array<string>, priority: number, weight: number, status: ChannelStatus, keySelection: ChannelKeySelection, keyCount: number, keyHint: string, createdAt: string, keys: Array<{ id: string, hint: string, status: ChannelKeyStatus }>, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, health: { status: ChannelHealthStatus, autoDisabled: boolean, lastCheckedAt: string | null, latencyMs: number | null, consecutiveFailures: number, history: Array<{ at: string, outcome: string, latencyMs: number, httpStatus: number | null }>, balance: { amount: number, currency: string, checkedAt: string } | null } } } };

export type UpdateChannelMutationVariables = Exact<{
  input: UpdateChannelInput;
}>;


export type UpdateChannelMutation = { updateChannel: { channel: { id: string, name: string, type: string, baseUrl: string, models: Array<string>, modelMapping: Record<string, unknown>, parameterOverrides: Record<string, unknown>, headerOverrides: Record<string, unknown>, statusCodeMapping: Record<string, unknown>, groups: Array<string>, tags: Array<string>, priority: number, weight: number, status: ChannelStatus, keySelection: ChannelKeySelection, keyCount: number, keyHint: string, createdAt: string, keys: Array<{ id: string, hint: string, status: ChannelKeyStatus }>, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, health: { status: ChannelHealthStatus, autoDisabled: boolean, lastCheckedAt: string | null, latencyMs: number | null, consecutiveFailures: number, history: Array<{ at: string, outcome: string, latencyMs: number, httpStatus: number | null }>, balance: { amount: number, currency: string, checkedAt: string } | null } } } };

export type DeleteChannelMutationVariables = Exact<{
  input: DeleteChannelInput;
}>;


export type DeleteChannelMutation = { deleteChannel: { id: string } };

export type SetChannelKeyStatusMutationVariables = Exact<{
  input: SetChannelKeyStatusInput;
}>;


export type SetChannelKeyStatusMutation = { setChannelKeyStatus: { channel: { id: string, keyHint: string, keys: Array<{ id: string, hint: string, status: ChannelKeyStatus }> } } };

export type SetChannelsStatusMutationVariables = Exact<{
  input: SetChannelsStatusInput;
}>;


export type SetChannelsStatusMutation = { setChannelsStatus: { count: number, channels: Array<{ id: string, status: ChannelStatus }> } };

export type TestChannelMutationVariables = Exact<{
  input: TestChannelInput;
}>;


export type TestChannelMutation = { testChannel: { ok: boolean, status: number | null, latencyMs: number, message: string, model: string } };

export type GovernanceRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type GovernanceRulesQuery = { governanceRules: Array<{ id: string, name: string, order: number, enabled: boolean, action: GovernanceAction, patterns: Array<string>, keywords: Array<string>, caseSensitive: boolean, models: Array<string> | null, paths: Array<string> | null, groups: Array<string> | null, tokenIds: Array<string> | null, maskWith: string, rerouteModel: string | null, blockMessage: string | null, tag: string | null, recordMatch: boolean, updatedAt: string }> };

export type GovernanceRuleFieldsFragment = { id: string, name: string, order: number, enabled: boolean, action: GovernanceAction, patterns: Array<string>, keywords: Array<string>, caseSensitive: boolean, models: Array<string> | null, paths: Array<string> | null, groups: Array<string> | null, tokenIds: Array<string> | null, maskWith: string, rerouteModel: string | null, blockMessage: string | null, tag: string | null, recordMatch: boolean, updatedAt: string };

export type CreateGovernanceRuleMutationVariables = Exact<{
  input: CreateGovernanceRuleInput;
}>;


export type CreateGovernanceRuleMutation = { createGovernanceRule: { rule: { id: string, name: string, order: number, enabled: boolean, action: GovernanceAction, patterns: Array<string>, keywords: Array<string>, caseSensitive: boolean, models: Array<string> | null, paths: Array<string> | null, groups: Array<string> | null, tokenIds: Array<string> | null, maskWith: string, rerouteModel: string | null, blockMessage: string | null, tag: string | null, recordMatch: boolean, updatedAt: string } } };

export type UpdateGovernanceRuleMutationVariables = Exact<{
  input: UpdateGovernanceRuleInput;
}>;


export type UpdateGovernanceRuleMutation = { updateGovernanceRule: { rule: { id: string, name: string, order: number, enabled: boolean, action: GovernanceAction, patterns: Array<string>, keywords: Array<string>, caseSensitive: boolean, models: Array<string> | null, paths: Array<string> | null, groups: Array<string> | null, tokenIds: Array<string> | null, maskWith: string, rerouteModel: string | null, blockMessage: string | null, tag: string | null, recordMatch: boolean, updatedAt: string } } };

export type DeleteGovernanceRuleMutationVariables = Exact<{
  input: DeleteGovernanceRuleInput;
}>;


export type DeleteGovernanceRuleMutation = { deleteGovernanceRule: { id: string } };

export type PlanFieldsFragment = { id: string, name: string, period: string, allowance: number, rolloverCap: number | null, models: Array<string> | null, groups: Array<string> | null, price: string | null, active: boolean, createdAt: string };

export type PlansQueryVariables = Exact<{ [key: string]: never; }>;


export type PlansQuery = { plans: Array<{ id: string, name: string, period: string, allowance: number, rolloverCap: number | null, models: Array<string> | null, groups: Array<string> | null, price: string | null, active: boolean, createdAt: string }> };

export type CreatePlanMutationVariables = Exact<{
  input: CreatePlanInput;
}>;


export type CreatePlanMutation = { createPlan: { id: string, name: string, period: string, allowance: number, rolloverCap: number | null, models: Array<string> | null, groups: Array<string> | null, price: string | null, active: boolean, createdAt: string } };

export type UpdatePlanMutationVariables = Exact<{
  input: UpdatePlanInput;
}>;


export type UpdatePlanMutation = { updatePlan: { id: string, name: string, period: string, allowance: number, rolloverCap: number | null, models: Array<string> | null, groups: Array<string> | null, price: string | null, active: boolean, createdAt: string } };

export type AssignPlanMutationVariables = Exact<{
  input: AssignPlanInput;
}>;


export type AssignPlanMutation = { assignPlan: { id: string, planId: string, userId: string, endsAt: string | null } | null };

export type AssignPlanToGroupMutationVariables = Exact<{
  input: AssignPlanToGroupInput;
}>;


export type AssignPlanToGroupMutation = { assignPlanToGroup: number };

export type ModelPriceFieldsFragment = { model: string, inputPerMillion: number, outputPerMillion: number, cacheReadPerMillion: number | null, cacheWritePerMillion: number | null, perCall: number, defaultMaxOutputTokens: number | null, updatedAt: string };

export type ModelPricesQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelPricesQuery = { modelPrices: Array<{ model: string, inputPerMillion: number, outputPerMillion: number, cacheReadPerMillion: number | null, cacheWritePerMillion: number | null, perCall: number, defaultMaxOutputTokens: number | null, updatedAt: string }> };

export type SetModelPriceMutationVariables = Exact<{
  input: SetModelPriceInput;
}>;


export type SetModelPriceMutation = { setModelPrice: { price: { model: string, inputPerMillion: number, outputPerMillion: number, cacheReadPerMillion: number | null, cacheWritePerMillion: number | null, perCall: number, defaultMaxOutputTokens: number | null, updatedAt: string } } };

export type DeleteModelPriceMutationVariables = Exact<{
  input: DeleteModelPriceInput;
}>;


export type DeleteModelPriceMutation = { deleteModelPrice: { model: string } };

export type ApplyDefaultPricesMutationVariables = Exact<{
  input: ApplyDefaultPricesInput;
}>;


export type ApplyDefaultPricesMutation = { applyDefaultPrices: { skipped: Array<string>, prices: Array<{ model: string, inputPerMillion: number, outputPerMillion: number, cacheReadPerMillion: number | null, cacheWritePerMillion: number | null, perCall: number, defaultMaxOutputTokens: number | null, updatedAt: string }> } };

export type ImportPriceRatiosMutationVariables = Exact<{
  input: ImportPriceRatiosInput;
}>;


export type ImportPriceRatiosMutation = { importPriceRatios: { applied: boolean, groupMultipliers: Array<{ group: string, multiplier: number }>, prices: Array<{ model: string, inputPerMillion: number, outputPerMillion: number, cacheReadPerMillion: number | null, cacheWritePerMillion: number | null, perCall: number, existing: boolean, changed: boolean }> } };

export type PriceQuoteQueryVariables = Exact<{
  input: PriceQuoteInput;
}>;


export type PriceQuoteQuery = { priceQuote: { model: string, input: number, output: number, cacheRead: number, cacheWrite: number, perCall: number, multiplier: number, total: number, totalUsd: string } };

export type GatewaySettingsFieldsFragment = { defaultMaxOutputTokens: number, allowUnpricedModels: boolean, maxRequestBodyBytes: number, retry: { maxAttempts: number, budgetRatio: number, retryOnStatus: Array<number> }, breaker: { failureRateThreshold: number, minimumRequests: number, openSeconds: number, windowSeconds: number }, sessionAffinity: { enabled: boolean, headers: Array<string>, ttlSeconds: number }, perIpLimits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, groupLimits: Array<{ group: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } }>, groupMultipliers: Array<{ group: string, multiplier: number }> };

export type GatewaySettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewaySettingsQuery = { gatewaySettings: { defaultMaxOutputTokens: number, allowUnpricedModels: boolean, maxRequestBodyBytes: number, retry: { maxAttempts: number, budgetRatio: number, retryOnStatus: Array<number> }, breaker: { failureRateThreshold: number, minimumRequests: number, openSeconds: number, windowSeconds: number }, sessionAffinity: { enabled: boolean, headers: Array<string>, ttlSeconds: number }, perIpLimits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, groupLimits: Array<{ group: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } }>, groupMultipliers: Array<{ group: string, multiplier: number }> } };

export type UpdateGatewaySettingsMutationVariables = Exact<{
  input: UpdateGatewaySettingsInput;
}>;


export type UpdateGatewaySettingsMutation = { updateGatewaySettings: { settings: { defaultMaxOutputTokens: number, allowUnpricedModels: boolean, maxRequestBodyBytes: number, retry: { maxAttempts: number, budgetRatio: number, retryOnStatus: Array<number> }, breaker: { failureRateThreshold: number, minimumRequests: number, openSeconds: number, windowSeconds: number }, sessionAffinity: { enabled: boolean, headers: Array<string>, ttlSeconds: number }, perIpLimits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null }, groupLimits: Array<{ group: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } }>, groupMultipliers: Array<{ group: string, multiplier: number }> } } };

export type TokensQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TokensQuery = { tokens: { edges: Array<{ cursor: string, node: { id: string, name: string, keyPrefix: string, status: TokenStatus, expiresAt: string | null, models: Array<string> | null, createdAt: string, quota: number, quotaUsed: number, unlimitedQuota: boolean, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateTokenMutationVariables = Exact<{
  input: CreateTokenInput;
}>;


export type CreateTokenMutation = { createToken: { key: string, token: { id: string, name: string, keyPrefix: string, status: TokenStatus, expiresAt: string | null, models: Array<string> | null, createdAt: string } } };

export type RevokeTokenMutationVariables = Exact<{
  input: RevokeTokenInput;
}>;


export type RevokeTokenMutation = { revokeToken: { token: { id: string, status: TokenStatus } } };

export type UpdateTokenQuotaMutationVariables = Exact<{
  input: UpdateTokenQuotaInput;
}>;


export type UpdateTokenQuotaMutation = { updateTokenQuota: { token: { id: string, quota: number, quotaUsed: number, unlimitedQuota: boolean } } };

export type SetTokenLimitsMutationVariables = Exact<{
  input: SetTokenLimitsInput;
}>;


export type SetTokenLimitsMutation = { setTokenLimits: { token: { id: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } } } };

export type UsageLogsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UsageLogsQuery = { usageLogs: { edges: Array<{ cursor: string, node: { id: string, requestId: string, model: string, endpoint: string, stream: boolean, status: UsageStatus, httpStatus: number, promptTokens: number, completionTokens: number, estimated: boolean, cost: number, durationMs: number, createdAt: string, tags: Array<string>, attempts: Array<{ channelId: string, status: number | null, errorCode: string | null, durationMs: number }>, costBreakdown: { input: number, output: number, cacheRead: number, cacheWrite: number, perCall: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UsageSummaryQueryVariables = Exact<{
  input: UsageSummaryInput;
}>;


export type UsageSummaryQuery = { usageSummary: Array<{ day: string, model: string, requests: number, errors: number, promptTokens: number, completionTokens: number, cost: number }> };

export type UserFieldsFragment = { id: string, username: string, email: string | null, role: Role, group: string, status: UserStatus, balance: number, createdAt: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } | null };

export type UsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UsersQuery = { users: { edges: Array<{ cursor: string, node: { id: string, username: string, email: string | null, role: Role, group: string, status: UserStatus, balance: number, createdAt: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { user: { id: string, username: string, email: string | null, role: Role, group: string, status: UserStatus, balance: number, createdAt: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } | null } } };

export type UpdateUserMutationVariables = Exact<{
  input: UpdateUserInput;
}>;


export type UpdateUserMutation = { updateUser: { user: { id: string, username: string, email: string | null, role: Role, group: string, status: UserStatus, balance: number, createdAt: string, limits: { requestsPerMinute: number | null, tokensPerMinute: number | null, concurrentRequests: number | null } | null } } };

export type AdjustBalanceMutationVariables = Exact<{
  input: AdjustBalanceInput;
}>;


export type AdjustBalanceMutation = { adjustBalance: { user: { id: string, balance: number } } };

export type VoucherFieldsFragment = { id: string, batchId: string, codeHint: string, kind: VoucherKind, amount: number, planId: string | null, planPeriods: number | null, maxRedemptions: number | null, redemptionCount: number, oncePerUser: boolean, groups: Array<string> | null, expiresAt: string | null, status: VoucherStatus, createdAt: string };

export type VouchersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type VouchersQuery = { vouchers: { edges: Array<{ cursor: string, node: { id: string, batchId: string, codeHint: string, kind: VoucherKind, amount: number, planId: string | null, planPeriods: number | null, maxRedemptions: number | null, redemptionCount: number, oncePerUser: boolean, groups: Array<string> | null, expiresAt: string | null, status: VoucherStatus, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateVouchersMutationVariables = Exact<{
  input: CreateVouchersInput;
}>;


export type CreateVouchersMutation = { createVouchers: { batchId: string, codes: Array<string> } };

export type VoucherBatchCsvQueryVariables = Exact<{
  batchId: string | number;
}>;


export type VoucherBatchCsvQuery = { voucherBatchCsv: string };

export type WalletQueryVariables = Exact<{
  userId: string | number;
  first?: number | null | undefined;
}>;


export type WalletQuery = { me: { id: string, balance: number, group: string } | null, planSubscriptions: Array<{ id: string, planId: string, periodKey: string, createdAt: string }>, ledgerEntries: { edges: Array<{ node: { id: string, kind: string, amount: number, balanceAfter: number, reason: string, createdAt: string } }> }, topUpMethods: { stripe: boolean, epay: boolean } };

export type RedeemVoucherMutationVariables = Exact<{
  input: RedeemVoucherInput;
}>;


export type RedeemVoucherMutation = { redeemVoucher: { user: { id: string, balance: number }, voucher: { id: string, kind: VoucherKind, amount: number } } };

export type CreateStripeCheckoutMutationVariables = Exact<{
  input: CreateStripeCheckoutInput;
}>;


export type CreateStripeCheckoutMutation = { createStripeCheckout: { checkoutUrl: string } };

export type CreateEpayOrderMutationVariables = Exact<{
  input: CreateEpayOrderInput;
}>;


export type CreateEpayOrderMutation = { createEpayOrder: { payUrl: string } };

export const ChannelFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Channel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"modelMapping"}},{"kind":"Field","name":{"kind":"Name","value":"parameterOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"headerOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodeMapping"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"keySelection"}},{"kind":"Field","name":{"kind":"Name","value":"keyCount"}},{"kind":"Field","name":{"kind":"Name","value":"keyHint"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoDisabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastCheckedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"checkedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ChannelFieldsFragment, unknown>;
export const GovernanceRuleFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GovernanceRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GovernanceRuleEntity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"patterns"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"caseSensitive"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"paths"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tokenIds"}},{"kind":"Field","name":{"kind":"Name","value":"maskWith"}},{"kind":"Field","name":{"kind":"Name","value":"rerouteModel"}},{"kind":"Field","name":{"kind":"Name","value":"blockMessage"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"recordMatch"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<GovernanceRuleFieldsFragment, unknown>;
export const PlanFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlanFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Plan"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"allowance"}},{"kind":"Field","name":{"kind":"Name","value":"rolloverCap"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<PlanFieldsFragment, unknown>;
export const ModelPriceFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelPriceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelPrice"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ModelPriceFieldsFragment, unknown>;
export const GatewaySettingsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GatewaySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GatewaySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"allowUnpricedModels"}},{"kind":"Field","name":{"kind":"Name","value":"maxRequestBodyBytes"}},{"kind":"Field","name":{"kind":"Name","value":"retry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxAttempts"}},{"kind":"Field","name":{"kind":"Name","value":"budgetRatio"}},{"kind":"Field","name":{"kind":"Name","value":"retryOnStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"breaker"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failureRateThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"minimumRequests"}},{"kind":"Field","name":{"kind":"Name","value":"openSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"windowSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sessionAffinity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"headers"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perIpLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupMultipliers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"multiplier"}}]}}]}}]} as unknown as DocumentNode<GatewaySettingsFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]} as unknown as DocumentNode<UserFieldsFragment, unknown>;
export const VoucherFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VoucherFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Voucher"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"batchId"}},{"kind":"Field","name":{"kind":"Name","value":"codeHint"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"planPeriods"}},{"kind":"Field","name":{"kind":"Name","value":"maxRedemptions"}},{"kind":"Field","name":{"kind":"Name","value":"redemptionCount"}},{"kind":"Field","name":{"kind":"Name","value":"oncePerUser"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<VoucherFieldsFragment, unknown>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const LogoutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Logout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logout"}}]}}]} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const ChannelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Channels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChannelFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Channel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"modelMapping"}},{"kind":"Field","name":{"kind":"Name","value":"parameterOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"headerOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodeMapping"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"keySelection"}},{"kind":"Field","name":{"kind":"Name","value":"keyCount"}},{"kind":"Field","name":{"kind":"Name","value":"keyHint"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoDisabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastCheckedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"checkedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ChannelsQuery, ChannelsQueryVariables>;
export const CreateChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateChannelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChannelFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Channel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"modelMapping"}},{"kind":"Field","name":{"kind":"Name","value":"parameterOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"headerOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodeMapping"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"keySelection"}},{"kind":"Field","name":{"kind":"Name","value":"keyCount"}},{"kind":"Field","name":{"kind":"Name","value":"keyHint"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoDisabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastCheckedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"checkedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CreateChannelMutation, CreateChannelMutationVariables>;
export const UpdateChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateChannelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChannelFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Channel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"modelMapping"}},{"kind":"Field","name":{"kind":"Name","value":"parameterOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"headerOverrides"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodeMapping"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"keySelection"}},{"kind":"Field","name":{"kind":"Name","value":"keyCount"}},{"kind":"Field","name":{"kind":"Name","value":"keyHint"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoDisabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastCheckedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"balance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"checkedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<UpdateChannelMutation, UpdateChannelMutationVariables>;
export const DeleteChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteChannelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<DeleteChannelMutation, DeleteChannelMutationVariables>;
export const SetChannelKeyStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetChannelKeyStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetChannelKeyStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setChannelKeyStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"keyHint"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"hint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SetChannelKeyStatusMutation, SetChannelKeyStatusMutationVariables>;
export const SetChannelsStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetChannelsStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetChannelsStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setChannelsStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"channels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<SetChannelsStatusMutation, SetChannelsStatusMutationVariables>;
export const TestChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TestChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TestChannelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"testChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"model"}}]}}]}}]} as unknown as DocumentNode<TestChannelMutation, TestChannelMutationVariables>;
export const GovernanceRulesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GovernanceRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"governanceRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GovernanceRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GovernanceRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GovernanceRuleEntity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"patterns"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"caseSensitive"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"paths"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tokenIds"}},{"kind":"Field","name":{"kind":"Name","value":"maskWith"}},{"kind":"Field","name":{"kind":"Name","value":"rerouteModel"}},{"kind":"Field","name":{"kind":"Name","value":"blockMessage"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"recordMatch"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<GovernanceRulesQuery, GovernanceRulesQueryVariables>;
export const CreateGovernanceRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateGovernanceRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateGovernanceRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createGovernanceRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GovernanceRuleFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GovernanceRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GovernanceRuleEntity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"patterns"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"caseSensitive"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"paths"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tokenIds"}},{"kind":"Field","name":{"kind":"Name","value":"maskWith"}},{"kind":"Field","name":{"kind":"Name","value":"rerouteModel"}},{"kind":"Field","name":{"kind":"Name","value":"blockMessage"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"recordMatch"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateGovernanceRuleMutation, CreateGovernanceRuleMutationVariables>;
export const UpdateGovernanceRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateGovernanceRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateGovernanceRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateGovernanceRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GovernanceRuleFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GovernanceRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GovernanceRuleEntity"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"order"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"patterns"}},{"kind":"Field","name":{"kind":"Name","value":"keywords"}},{"kind":"Field","name":{"kind":"Name","value":"caseSensitive"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"paths"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tokenIds"}},{"kind":"Field","name":{"kind":"Name","value":"maskWith"}},{"kind":"Field","name":{"kind":"Name","value":"rerouteModel"}},{"kind":"Field","name":{"kind":"Name","value":"blockMessage"}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"recordMatch"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateGovernanceRuleMutation, UpdateGovernanceRuleMutationVariables>;
export const DeleteGovernanceRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteGovernanceRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteGovernanceRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteGovernanceRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<DeleteGovernanceRuleMutation, DeleteGovernanceRuleMutationVariables>;
export const PlansDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Plans"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plans"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlanFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlanFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Plan"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"allowance"}},{"kind":"Field","name":{"kind":"Name","value":"rolloverCap"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<PlansQuery, PlansQueryVariables>;
export const CreatePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreatePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlanFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlanFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Plan"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"allowance"}},{"kind":"Field","name":{"kind":"Name","value":"rolloverCap"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CreatePlanMutation, CreatePlanMutationVariables>;
export const UpdatePlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdatePlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdatePlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updatePlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlanFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlanFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Plan"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"allowance"}},{"kind":"Field","name":{"kind":"Name","value":"rolloverCap"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"price"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<UpdatePlanMutation, UpdatePlanMutationVariables>;
export const AssignPlanDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AssignPlan"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AssignPlanInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignPlan"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}}]}}]}}]} as unknown as DocumentNode<AssignPlanMutation, AssignPlanMutationVariables>;
export const AssignPlanToGroupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AssignPlanToGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AssignPlanToGroupInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignPlanToGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<AssignPlanToGroupMutation, AssignPlanToGroupMutationVariables>;
export const ModelPricesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelPrices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelPrices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelPriceFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelPriceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelPrice"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ModelPricesQuery, ModelPricesQueryVariables>;
export const SetModelPriceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetModelPrice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetModelPriceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setModelPrice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelPriceFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelPriceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelPrice"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<SetModelPriceMutation, SetModelPriceMutationVariables>;
export const DeleteModelPriceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteModelPrice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteModelPriceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteModelPrice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}}]}}]}}]} as unknown as DocumentNode<DeleteModelPriceMutation, DeleteModelPriceMutationVariables>;
export const ApplyDefaultPricesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApplyDefaultPrices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApplyDefaultPricesInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applyDefaultPrices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"prices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelPriceFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelPriceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ModelPrice"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ApplyDefaultPricesMutation, ApplyDefaultPricesMutationVariables>;
export const ImportPriceRatiosDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ImportPriceRatios"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ImportPriceRatiosInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importPriceRatios"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applied"}},{"kind":"Field","name":{"kind":"Name","value":"groupMultipliers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"multiplier"}}]}},{"kind":"Field","name":{"kind":"Name","value":"prices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMillion"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"existing"}},{"kind":"Field","name":{"kind":"Name","value":"changed"}}]}}]}}]}}]} as unknown as DocumentNode<ImportPriceRatiosMutation, ImportPriceRatiosMutationVariables>;
export const PriceQuoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PriceQuote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PriceQuoteInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceQuote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"cacheRead"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWrite"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}},{"kind":"Field","name":{"kind":"Name","value":"multiplier"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"totalUsd"}}]}}]}}]} as unknown as DocumentNode<PriceQuoteQuery, PriceQuoteQueryVariables>;
export const GatewaySettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewaySettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gatewaySettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GatewaySettingsFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GatewaySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GatewaySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"allowUnpricedModels"}},{"kind":"Field","name":{"kind":"Name","value":"maxRequestBodyBytes"}},{"kind":"Field","name":{"kind":"Name","value":"retry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxAttempts"}},{"kind":"Field","name":{"kind":"Name","value":"budgetRatio"}},{"kind":"Field","name":{"kind":"Name","value":"retryOnStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"breaker"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failureRateThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"minimumRequests"}},{"kind":"Field","name":{"kind":"Name","value":"openSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"windowSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sessionAffinity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"headers"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perIpLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupMultipliers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"multiplier"}}]}}]}}]} as unknown as DocumentNode<GatewaySettingsQuery, GatewaySettingsQueryVariables>;
export const UpdateGatewaySettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateGatewaySettings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateGatewaySettingsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateGatewaySettings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"GatewaySettingsFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"GatewaySettingsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GatewaySettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"defaultMaxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"allowUnpricedModels"}},{"kind":"Field","name":{"kind":"Name","value":"maxRequestBodyBytes"}},{"kind":"Field","name":{"kind":"Name","value":"retry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"maxAttempts"}},{"kind":"Field","name":{"kind":"Name","value":"budgetRatio"}},{"kind":"Field","name":{"kind":"Name","value":"retryOnStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"breaker"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"failureRateThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"minimumRequests"}},{"kind":"Field","name":{"kind":"Name","value":"openSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"windowSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sessionAffinity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"headers"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perIpLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupLimits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupMultipliers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"multiplier"}}]}}]}}]} as unknown as DocumentNode<UpdateGatewaySettingsMutation, UpdateGatewaySettingsMutationVariables>;
export const TokensDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Tokens"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tokens"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"quota"}},{"kind":"Field","name":{"kind":"Name","value":"quotaUsed"}},{"kind":"Field","name":{"kind":"Name","value":"unlimitedQuota"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<TokensQuery, TokensQueryVariables>;
export const CreateTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<CreateTokenMutation, CreateTokenMutationVariables>;
export const RevokeTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RevokeTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<RevokeTokenMutation, RevokeTokenMutationVariables>;
export const UpdateTokenQuotaDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTokenQuota"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateTokenQuotaInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTokenQuota"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quota"}},{"kind":"Field","name":{"kind":"Name","value":"quotaUsed"}},{"kind":"Field","name":{"kind":"Name","value":"unlimitedQuota"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateTokenQuotaMutation, UpdateTokenQuotaMutationVariables>;
export const SetTokenLimitsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetTokenLimits"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetTokenLimitsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setTokenLimits"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SetTokenLimitsMutation, SetTokenLimitsMutationVariables>;
export const UsageLogsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsageLogs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageLogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"stream"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"httpStatus"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"estimated"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channelId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"costBreakdown"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"cacheRead"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWrite"}},{"kind":"Field","name":{"kind":"Name","value":"perCall"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<UsageLogsQuery, UsageLogsQueryVariables>;
export const UsageSummaryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsageSummary"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageSummaryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageSummary"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"day"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"errors"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}}]}}]} as unknown as DocumentNode<UsageSummaryQuery, UsageSummaryQueryVariables>;
export const UsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Users"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]} as unknown as DocumentNode<UsersQuery, UsersQueryVariables>;
export const CreateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]} as unknown as DocumentNode<CreateUserMutation, CreateUserMutationVariables>;
export const UpdateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UserFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UserFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"group"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"tokensPerMinute"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentRequests"}}]}}]}}]} as unknown as DocumentNode<UpdateUserMutation, UpdateUserMutationVariables>;
export const AdjustBalanceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdjustBalance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustBalanceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustBalance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}}]}}]}}]}}]} as unknown as DocumentNode<AdjustBalanceMutation, AdjustBalanceMutationVariables>;
export const VouchersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Vouchers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vouchers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VoucherFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VoucherFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Voucher"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"batchId"}},{"kind":"Field","name":{"kind":"Name","value":"codeHint"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"planPeriods"}},{"kind":"Field","name":{"kind":"Name","value":"maxRedemptions"}},{"kind":"Field","name":{"kind":"Name","value":"redemptionCount"}},{"kind":"Field","name":{"kind":"Name","value":"oncePerUser"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<VouchersQuery, VouchersQueryVariables>;
export const CreateVouchersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateVouchers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateVouchersInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createVouchers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"batchId"}},{"kind":"Field","name":{"kind":"Name","value":"codes"}}]}}]}}]} as unknown as DocumentNode<CreateVouchersMutation, CreateVouchersMutationVariables>;
export const VoucherBatchCsvDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VoucherBatchCsv"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"batchId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voucherBatchCsv"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"batchId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"batchId"}}}]}]}}]} as unknown as DocumentNode<VoucherBatchCsvQuery, VoucherBatchCsvQueryVariables>;
export const WalletDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Wallet"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"group"}}]}},{"kind":"Field","name":{"kind":"Name","value":"planSubscriptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"planId"}},{"kind":"Field","name":{"kind":"Name","value":"periodKey"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ledgerEntries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"balanceAfter"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"topUpMethods"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stripe"}},{"kind":"Field","name":{"kind":"Name","value":"epay"}}]}}]}}]} as unknown as DocumentNode<WalletQuery, WalletQueryVariables>;
export const RedeemVoucherDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeemVoucher"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemVoucherInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemVoucher"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"voucher"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<RedeemVoucherMutation, RedeemVoucherMutationVariables>;
export const CreateStripeCheckoutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateStripeCheckout"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStripeCheckoutInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStripeCheckout"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkoutUrl"}}]}}]}}]} as unknown as DocumentNode<CreateStripeCheckoutMutation, CreateStripeCheckoutMutationVariables>;
export const CreateEpayOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateEpayOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateEpayOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createEpayOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payUrl"}}]}}]}}]} as unknown as DocumentNode<CreateEpayOrderMutation, CreateEpayOrderMutationVariables>;