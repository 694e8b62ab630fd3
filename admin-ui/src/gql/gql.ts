/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  fragment ChannelFields on Channel {\n    id\n    name\n    type\n    baseUrl\n    models\n    modelMapping\n    parameterOverrides\n    headerOverrides\n    statusCodeMapping\n    groups\n    tags\n    priority\n    weight\n    status\n    keySelection\n    keyCount\n    keyHint\n    keys {\n      id\n      hint\n      status\n    }\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    health {\n      status\n      autoDisabled\n      lastCheckedAt\n      latencyMs\n      consecutiveFailures\n      history {\n        at\n        outcome\n        latencyMs\n        httpStatus\n      }\n      balance {\n        amount\n        currency\n        checkedAt\n      }\n    }\n    createdAt\n  }\n": typeof types.ChannelFieldsFragmentDoc,
    "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...ChannelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ChannelsDocument,
    "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n": typeof types.CreateChannelDocument,
    "\n  mutation UpdateChannel($input: UpdateChannelInput!) {\n    updateChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n": typeof types.UpdateChannelDocument,
    "\n  mutation DeleteChannel($input: DeleteChannelInput!) {\n    deleteChannel(input: $input) {\n      id\n    }\n  }\n": typeof types.DeleteChannelDocument,
    "\n  mutation SetChannelKeyStatus($input: SetChannelKeyStatusInput!) {\n    setChannelKeyStatus(input: $input) {\n      channel {\n        id\n        keyHint\n        keys {\n          id\n          hint\n          status\n        }\n      }\n    }\n  }\n": typeof types.SetChannelKeyStatusDocument,
    "\n  mutation SetChannelsStatus($input: SetChannelsStatusInput!) {\n    setChannelsStatus(input: $input) {\n      count\n      channels {\n        id\n        status\n      }\n    }\n  }\n": typeof types.SetChannelsStatusDocument,
    "\n  mutation TestChannel($input: TestChannelInput!) {\n    testChannel(input: $input) {\n      ok\n      status\n      latencyMs\n      message\n      model\n    }\n  }\n": typeof types.TestChannelDocument,
    "\n  query GovernanceRules {\n    governanceRules {\n      ...GovernanceRuleFields\n    }\n  }\n": typeof types.GovernanceRulesDocument,
    "\n  fragment GovernanceRuleFields on GovernanceRuleEntity {\n    id\n    name\n    order\n    enabled\n    action\n    patterns\n    keywords\n    caseSensitive\n    models\n    paths\n    groups\n    tokenIds\n    maskWith\n    rerouteModel\n    blockMessage\n    tag\n    recordMatch\n    updatedAt\n  }\n": typeof types.GovernanceRuleFieldsFragmentDoc,
    "\n  mutation CreateGovernanceRule($input: CreateGovernanceRuleInput!) {\n    createGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n": typeof types.CreateGovernanceRuleDocument,
    "\n  mutation UpdateGovernanceRule($input: UpdateGovernanceRuleInput!) {\n    updateGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n": typeof types.UpdateGovernanceRuleDocument,
    "\n  mutation DeleteGovernanceRule($input: DeleteGovernanceRuleInput!) {\n    deleteGovernanceRule(input: $input) {\n      id\n    }\n  }\n": typeof types.DeleteGovernanceRuleDocument,
    "\n  fragment PlanFields on Plan {\n    id\n    name\n    period\n    allowance\n    rolloverCap\n    models\n    groups\n    price\n    active\n    createdAt\n  }\n": typeof types.PlanFieldsFragmentDoc,
    "\n  query Plans {\n    plans {\n      ...PlanFields\n    }\n  }\n": typeof types.PlansDocument,
    "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      ...PlanFields\n    }\n  }\n": typeof types.CreatePlanDocument,
    "\n  mutation UpdatePlan($input: UpdatePlanInput!) {\n    updatePlan(input: $input) {\n      ...PlanFields\n    }\n  }\n": typeof types.UpdatePlanDocument,
    "\n  mutation AssignPlan($input: AssignPlanInput!) {\n    assignPlan(input: $input) {\n      id\n      planId\n      userId\n      endsAt\n    }\n  }\n": typeof types.AssignPlanDocument,
    "\n  mutation AssignPlanToGroup($input: AssignPlanToGroupInput!) {\n    assignPlanToGroup(input: $input)\n  }\n": typeof types.AssignPlanToGroupDocument,
    "\n  fragment ModelPriceFields on ModelPrice {\n    model\n    inputPerMillion\n    outputPerMillion\n    cacheReadPerMillion\n    cacheWritePerMillion\n    perCall\n    defaultMaxOutputTokens\n    updatedAt\n  }\n": typeof types.ModelPriceFieldsFragmentDoc,
    "\n  query ModelPrices {\n    modelPrices {\n      ...ModelPriceFields\n    }\n  }\n": typeof types.ModelPricesDocument,
    "\n  mutation SetModelPrice($input: SetModelPriceInput!) {\n    setModelPrice(input: $input) {\n      price {\n        ...ModelPriceFields\n      }\n    }\n  }\n": typeof types.SetModelPriceDocument,
    "\n  mutation DeleteModelPrice($input: DeleteModelPriceInput!) {\n    deleteModelPrice(input: $input) {\n      model\n    }\n  }\n": typeof types.DeleteModelPriceDocument,
    "\n  mutation ApplyDefaultPrices($input: ApplyDefaultPricesInput!) {\n    applyDefaultPrices(input: $input) {\n      skipped\n      prices {\n        ...ModelPriceFields\n      }\n    }\n  }\n": typeof types.ApplyDefaultPricesDocument,
    "\n  mutation ImportPriceRatios($input: ImportPriceRatiosInput!) {\n    importPriceRatios(input: $input) {\n      applied\n      groupMultipliers {\n        group\n        multiplier\n      }\n      prices {\n        model\n        inputPerMillion\n        outputPerMillion\n        cacheReadPerMillion\n        cacheWritePerMillion\n        perCall\n        existing\n        changed\n      }\n    }\n  }\n": typeof types.ImportPriceRatiosDocument,
    "\n  query PriceQuote($input: PriceQuoteInput!) {\n    priceQuote(input: $input) {\n      model\n      input\n      output\n      cacheRead\n      cacheWrite\n      perCall\n      multiplier\n      total\n      totalUsd\n    }\n  }\n": typeof types.PriceQuoteDocument,
    "\n  fragment GatewaySettingsFields on GatewaySettings {\n    defaultMaxOutputTokens\n    allowUnpricedModels\n    maxRequestBodyBytes\n    retry {\n      maxAttempts\n      budgetRatio\n      retryOnStatus\n    }\n    breaker {\n      failureRateThreshold\n      minimumRequests\n      openSeconds\n      windowSeconds\n    }\n    sessionAffinity {\n      enabled\n      headers\n      ttlSeconds\n    }\n    perIpLimits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    groupLimits {\n      group\n      limits {\n        requestsPerMinute\n        tokensPerMinute\n        concurrentRequests\n      }\n    }\n    groupMultipliers {\n      group\n      multiplier\n    }\n  }\n": typeof types.GatewaySettingsFieldsFragmentDoc,
    "\n  query GatewaySettings {\n    gatewaySettings {\n      ...GatewaySettingsFields\n    }\n  }\n": typeof types.GatewaySettingsDocument,
    "\n  mutation UpdateGatewaySettings($input: UpdateGatewaySettingsInput!) {\n    updateGatewaySettings(input: $input) {\n      settings {\n        ...GatewaySettingsFields\n      }\n    }\n  }\n": typeof types.UpdateGatewaySettingsDocument,
    "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n          quota\n          quotaUsed\n          unlimitedQuota\n          limits {\n            requestsPerMinute\n            tokensPerMinute\n            concurrentRequests\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TokensDocument,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeTokenDocument,
    "\n  mutation UpdateTokenQuota($input: UpdateTokenQuotaInput!) {\n    updateTokenQuota(input: $input) {\n      token {\n        id\n        quota\n        quotaUsed\n        unlimitedQuota\n      }\n    }\n  }\n": typeof types.UpdateTokenQuotaDocument,
    "\n  mutation SetTokenLimits($input: SetTokenLimitsInput!) {\n    setTokenLimits(input: $input) {\n      token {\n        id\n        limits {\n          requestsPerMinute\n          tokensPerMinute\n          concurrentRequests\n        }\n      }\n    }\n  }\n": typeof types.SetTokenLimitsDocument,
    "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n          tags\n          attempts {\n            channelId\n            status\n            errorCode\n            durationMs\n          }\n          costBreakdown {\n            input\n            output\n            cacheRead\n            cacheWrite\n            perCall\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.UsageLogsDocument,
    "\n  query UsageSummary($input: UsageSummaryInput!) {\n    usageSummary(input: $input) {\n      day\n      model\n      requests\n      errors\n      promptTokens\n      completionTokens\n      cost\n    }\n  }\n": typeof types.UsageSummaryDocument,
    "\n  fragment UserFields on User {\n    id\n    username\n    email\n    role\n    group\n    status\n    balance\n    createdAt\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation AdjustBalance($input: AdjustBalanceInput!) {\n    adjustBalance(input: $input) {\n      user {\n        id\n        balance\n      }\n    }\n  }\n": typeof types.AdjustBalanceDocument,
    "\n  fragment VoucherFields on Voucher {\n    id\n    batchId\n    codeHint\n    kind\n    amount\n    planId\n    planPeriods\n    maxRedemptions\n    redemptionCount\n    oncePerUser\n    groups\n    expiresAt\n    status\n    createdAt\n  }\n": typeof types.VoucherFieldsFragmentDoc,
    "\n  query Vouchers($first: Int, $after: String) {\n    vouchers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...VoucherFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.VouchersDocument,
    "\n  mutation CreateVouchers($input: CreateVouchersInput!) {\n    createVouchers(input: $input) {\n      batchId\n      codes\n    }\n  }\n": typeof types.CreateVouchersDocument,
    "\n  query VoucherBatchCsv($batchId: ID!) {\n    voucherBatchCsv(batchId: $batchId)\n  }\n": typeof types.VoucherBatchCsvDocument,
    "\n  query Wallet($userId: ID!, $first: Int) {\n    me {\n      id\n      balance\n      group\n    }\n    planSubscriptions(userId: $userId) {\n      id\n      planId\n      periodKey\n      createdAt\n    }\n    ledgerEntries(first: $first, userId: $userId) {\n      edges {\n        node {\n          id\n          kind\n          amount\n          balanceAfter\n          reason\n          createdAt\n        }\n      }\n    }\n    topUpMethods {\n      stripe\n      epay\n    }\n  }\n": typeof types.WalletDocument,
    "\n  mutation RedeemVoucher($input: RedeemVoucherInput!) {\n    redeemVoucher(input: $input) {\n      user {\n        id\n        balance\n      }\n      voucher {\n        id\n        kind\n        amount\n      }\n    }\n  }\n": typeof types.RedeemVoucherDocument,
    "\n  mutation CreateStripeCheckout($input: CreateStripeCheckoutInput!) {\n    createStripeCheckout(input: $input) {\n      checkoutUrl\n    }\n  }\n": typeof types.CreateStripeCheckoutDocument,
    "\n  mutation CreateEpayOrder($input: CreateEpayOrderInput!) {\n    createEpayOrder(input: $input) {\n      payUrl\n    }\n  }\n": typeof types.CreateEpayOrderDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  fragment ChannelFields on Channel {\n    id\n    name\n    type\n    baseUrl\n    models\n    modelMapping\n    parameterOverrides\n    headerOverrides\n    statusCodeMapping\n    groups\n    tags\n    priority\n    weight\n    status\n    keySelection\n    keyCount\n    keyHint\n    keys {\n      id\n      hint\n      status\n    }\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    health {\n      status\n      autoDisabled\n      lastCheckedAt\n      latencyMs\n      consecutiveFailures\n      history {\n        at\n        outcome\n        latencyMs\n        httpStatus\n      }\n      balance {\n        amount\n        currency\n        checkedAt\n      }\n    }\n    createdAt\n  }\n": types.ChannelFieldsFragmentDoc,
    "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...ChannelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ChannelsDocument,
    "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n": types.CreateChannelDocument,
    "\n  mutation UpdateChannel($input: UpdateChannelInput!) {\n    updateChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n": types.UpdateChannelDocument,
    "\n  mutation DeleteChannel($input: DeleteChannelInput!) {\n    deleteChannel(input: $input) {\n      id\n    }\n  }\n": types.DeleteChannelDocument,
    "\n  mutation SetChannelKeyStatus($input: SetChannelKeyStatusInput!) {\n    setChannelKeyStatus(input: $input) {\n      channel {\n        id\n        keyHint\n        keys {\n          id\n          hint\n          status\n        }\n      }\n    }\n  }\n": types.SetChannelKeyStatusDocument,
    "\n  mutation SetChannelsStatus($input: SetChannelsStatusInput!) {\n    setChannelsStatus(input: $input) {\n      count\n      channels {\n        id\n        status\n      }\n    }\n  }\n": types.SetChannelsStatusDocument,
    "\n  mutation TestChannel($input: TestChannelInput!) {\n    testChannel(input: $input) {\n      ok\n      status\n      latencyMs\n      message\n      model\n    }\n  }\n": types.TestChannelDocument,
    "\n  query GovernanceRules {\n    governanceRules {\n      ...GovernanceRuleFields\n    }\n  }\n": types.GovernanceRulesDocument,
    "\n  fragment GovernanceRuleFields on GovernanceRuleEntity {\n    id\n    name\n    order\n    enabled\n    action\n    patterns\n    keywords\n    caseSensitive\n    models\n    paths\n    groups\n    tokenIds\n    maskWith\n    rerouteModel\n    blockMessage\n    tag\n    recordMatch\n    updatedAt\n  }\n": types.GovernanceRuleFieldsFragmentDoc,
    "\n  mutation CreateGovernanceRule($input: CreateGovernanceRuleInput!) {\n    createGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n": types.CreateGovernanceRuleDocument,
    "\n  mutation UpdateGovernanceRule($input: UpdateGovernanceRuleInput!) {\n    updateGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n": types.UpdateGovernanceRuleDocument,
    "\n  mutation DeleteGovernanceRule($input: DeleteGovernanceRuleInput!) {\n    deleteGovernanceRule(input: $input) {\n      id\n    }\n  }\n": types.DeleteGovernanceRuleDocument,
    "\n  fragment PlanFields on Plan {\n    id\n    name\n    period\n    allowance\n    rolloverCap\n    models\n    groups\n    price\n    active\n    createdAt\n  }\n": types.PlanFieldsFragmentDoc,
    "\n  query Plans {\n    plans {\n      ...PlanFields\n    }\n  }\n": types.PlansDocument,
    "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      ...PlanFields\n    }\n  }\n": types.CreatePlanDocument,
    "\n  mutation UpdatePlan($input: UpdatePlanInput!) {\n    updatePlan(input: $input) {\n      ...PlanFields\n    }\n  }\n": types.UpdatePlanDocument,
    "\n  mutation AssignPlan($input: AssignPlanInput!) {\n    assignPlan(input: $input) {\n      id\n      planId\n      userId\n      endsAt\n    }\n  }\n": types.AssignPlanDocument,
    "\n  mutation AssignPlanToGroup($input: AssignPlanToGroupInput!) {\n    assignPlanToGroup(input: $input)\n  }\n": types.AssignPlanToGroupDocument,
    "\n  fragment ModelPriceFields on ModelPrice {\n    model\n    inputPerMillion\n    outputPerMillion\n    cacheReadPerMillion\n    cacheWritePerMillion\n    perCall\n    defaultMaxOutputTokens\n    updatedAt\n  }\n": types.ModelPriceFieldsFragmentDoc,
    "\n  query ModelPrices {\n    modelPrices {\n      ...ModelPriceFields\n    }\n  }\n": types.ModelPricesDocument,
    "\n  mutation SetModelPrice($input: SetModelPriceInput!) {\n    setModelPrice(input: $input) {\n      price {\n        ...ModelPriceFields\n      }\n    }\n  }\n": types.SetModelPriceDocument,
    "\n  mutation DeleteModelPrice($input: DeleteModelPriceInput!) {\n    deleteModelPrice(input: $input) {\n      model\n    }\n  }\n": types.DeleteModelPriceDocument,
    "\n  mutation ApplyDefaultPrices($input: ApplyDefaultPricesInput!) {\n    applyDefaultPrices(input: $input) {\n      skipped\n      prices {\n        ...ModelPriceFields\n      }\n    }\n  }\n": types.ApplyDefaultPricesDocument,
    "\n  mutation ImportPriceRatios($input: ImportPriceRatiosInput!) {\n    importPriceRatios(input: $input) {\n      applied\n      groupMultipliers {\n        group\n        multiplier\n      }\n      prices {\n        model\n        inputPerMillion\n        outputPerMillion\n        cacheReadPerMillion\n        cacheWritePerMillion\n        perCall\n        existing\n        changed\n      }\n    }\n  }\n": types.ImportPriceRatiosDocument,
    "\n  query PriceQuote($input: PriceQuoteInput!) {\n    priceQuote(input: $input) {\n      model\n      input\n      output\n      cacheRead\n      cacheWrite\n      perCall\n      multiplier\n      total\n      totalUsd\n    }\n  }\n": types.PriceQuoteDocument,
    "\n  fragment GatewaySettingsFields on GatewaySettings {\n    defaultMaxOutputTokens\n    allowUnpricedModels\n    maxRequestBodyBytes\n    retry {\n      maxAttempts\n      budgetRatio\n      retryOnStatus\n    }\n    breaker {\n      failureRateThreshold\n      minimumRequests\n      openSeconds\n      windowSeconds\n    }\n    sessionAffinity {\n      enabled\n      headers\n      ttlSeconds\n    }\n    perIpLimits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    groupLimits {\n      group\n      limits {\n        requestsPerMinute\n        tokensPerMinute\n        concurrentRequests\n      }\n    }\n    groupMultipliers {\n      group\n      multiplier\n    }\n  }\n": types.GatewaySettingsFieldsFragmentDoc,
    "\n  query GatewaySettings {\n    gatewaySettings {\n      ...GatewaySettingsFields\n    }\n  }\n": types.GatewaySettingsDocument,
    "\n  mutation UpdateGatewaySettings($input: UpdateGatewaySettingsInput!) {\n    updateGatewaySettings(input: $input) {\n      settings {\n        ...GatewaySettingsFields\n      }\n    }\n  }\n": types.UpdateGatewaySettingsDocument,
    "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n          quota\n          quotaUsed\n          unlimitedQuota\n          limits {\n            requestsPerMinute\n            tokensPerMinute\n            concurrentRequests\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TokensDocument,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeTokenDocument,
    "\n  mutation UpdateTokenQuota($input: UpdateTokenQuotaInput!) {\n    updateTokenQuota(input: $input) {\n      token {\n        id\n        quota\n        quotaUsed\n        unlimitedQuota\n      }\n    }\n  }\n": types.UpdateTokenQuotaDocument,
    "\n  mutation SetTokenLimits($input: SetTokenLimitsInput!) {\n    setTokenLimits(input: $input) {\n      token {\n        id\n        limits {\n          requestsPerMinute\n          tokensPerMinute\n          concurrentRequests\n        }\n      }\n    }\n  }\n": types.SetTokenLimitsDocument,
    "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n          tags\n          attempts {\n            channelId\n            status\n            errorCode\n            durationMs\n          }\n          costBreakdown {\n            input\n            output\n            cacheRead\n            cacheWrite\n            perCall\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.UsageLogsDocument,
    "\n  query UsageSummary($input: UsageSummaryInput!) {\n    usageSummary(input: $input) {\n      day\n      model\n      requests\n      errors\n      promptTokens\n      completionTokens\n      cost\n    }\n  }\n": types.UsageSummaryDocument,
    "\n  fragment UserFields on User {\n    id\n    username\n    email\n    role\n    group\n    status\n    balance\n    createdAt\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n  }\n": types.UserFieldsFragmentDoc,
    "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation AdjustBalance($input: AdjustBalanceInput!) {\n    adjustBalance(input: $input) {\n      user {\n        id\n        balance\n      }\n    }\n  }\n": types.AdjustBalanceDocument,
    "\n  fragment VoucherFields on Voucher {\n    id\n    batchId\n    codeHint\n    kind\n    amount\n    planId\n    planPeriods\n    maxRedemptions\n    redemptionCount\n    oncePerUser\n    groups\n    expiresAt\n    status\n    createdAt\n  }\n": types.VoucherFieldsFragmentDoc,
    "\n  query Vouchers($first: Int, $after: String) {\n    vouchers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...VoucherFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.VouchersDocument,
    "\n  mutation CreateVouchers($input: CreateVouchersInput!) {\n    createVouchers(input: $input) {\n      batchId\n      codes\n    }\n  }\n": types.CreateVouchersDocument,
    "\n  query VoucherBatchCsv($batchId: ID!) {\n    voucherBatchCsv(batchId: $batchId)\n  }\n": types.VoucherBatchCsvDocument,
    "\n  query Wallet($userId: ID!, $first: Int) {\n    me {\n      id\n      balance\n      group\n    }\n    planSubscriptions(userId: $userId) {\n      id\n      planId\n      periodKey\n      createdAt\n    }\n    ledgerEntries(first: $first, userId: $userId) {\n      edges {\n        node {\n          id\n          kind\n          amount\n          balanceAfter\n          reason\n          createdAt\n        }\n      }\n    }\n    topUpMethods {\n      stripe\n      epay\n    }\n  }\n": types.WalletDocument,
    "\n  mutation RedeemVoucher($input: RedeemVoucherInput!) {\n    redeemVoucher(input: $input) {\n      user {\n        id\n        balance\n      }\n      voucher {\n        id\n        kind\n        amount\n      }\n    }\n  }\n": types.RedeemVoucherDocument,
    "\n  mutation CreateStripeCheckout($input: CreateStripeCheckoutInput!) {\n    createStripeCheckout(input: $input) {\n      checkoutUrl\n    }\n  }\n": types.CreateStripeCheckoutDocument,
    "\n  mutation CreateEpayOrder($input: CreateEpayOrderInput!) {\n    createEpayOrder(input: $input) {\n      payUrl\n    }\n  }\n": types.CreateEpayOrderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChannelFields on Channel {\n    id\n    name\n    type\n    baseUrl\n    models\n    modelMapping\n    parameterOverrides\n    headerOverrides\n    statusCodeMapping\n    groups\n    tags\n    priority\n    weight\n    status\n    keySelection\n    keyCount\n    keyHint\n    keys {\n      id\n      hint\n      status\n    }\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    health {\n      status\n      autoDisabled\n      lastCheckedAt\n      latencyMs\n      consecutiveFailures\n      history {\n        at\n        outcome\n        latencyMs\n        httpStatus\n      }\n      balance {\n        amount\n        currency\n        checkedAt\n      }\n    }\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ChannelFields on Channel {\n    id\n    name\n    type\n    baseUrl\n    models\n    modelMapping\n    parameterOverrides\n    headerOverrides\n    statusCodeMapping\n    groups\n    tags\n    priority\n    weight\n    status\n    keySelection\n    keyCount\n    keyHint\n    keys {\n      id\n      hint\n      status\n    }\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    health {\n      status\n      autoDisabled\n      lastCheckedAt\n      latencyMs\n      consecutiveFailures\n      history {\n        at\n        outcome\n        latencyMs\n        httpStatus\n      }\n      balance {\n        amount\n        currency\n        checkedAt\n      }\n    }\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...ChannelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...ChannelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateChannel($input: UpdateChannelInput!) {\n    updateChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateChannel($input: UpdateChannelInput!) {\n    updateChannel(input: $input) {\n      channel {\n        ...ChannelFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteChannel($input: DeleteChannelInput!) {\n    deleteChannel(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteChannel($input: DeleteChannelInput!) {\n    deleteChannel(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetChannelKeyStatus($input: SetChannelKeyStatusInput!) {\n    setChannelKeyStatus(input: $input) {\n      channel {\n        id\n        keyHint\n        keys {\n          id\n          hint\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetChannelKeyStatus($input: SetChannelKeyStatusInput!) {\n    setChannelKeyStatus(input: $input) {\n      channel {\n        id\n        keyHint\n        keys {\n          id\n          hint\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetChannelsStatus($input: SetChannelsStatusInput!) {\n    setChannelsStatus(input: $input) {\n      count\n      channels {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetChannelsStatus($input: SetChannelsStatusInput!) {\n    setChannelsStatus(input: $input) {\n      count\n      channels {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestChannel($input: TestChannelInput!) {\n    testChannel(input: $input) {\n      ok\n      status\n      latencyMs\n      message\n      model\n    }\n  }\n"): (typeof documents)["\n  mutation TestChannel($input: TestChannelInput!) {\n    testChannel(input: $input) {\n      ok\n      status\n      latencyMs\n      message\n      model\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GovernanceRules {\n    governanceRules {\n      ...GovernanceRuleFields\n    }\n  }\n"): (typeof documents)["\n  query GovernanceRules {\n    governanceRules {\n      ...GovernanceRuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GovernanceRuleFields on GovernanceRuleEntity {\n    id\n    name\n    order\n    enabled\n    action\n    patterns\n    keywords\n    caseSensitive\n    models\n    paths\n    groups\n    tokenIds\n    maskWith\n    rerouteModel\n    blockMessage\n    tag\n    recordMatch\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment GovernanceRuleFields on GovernanceRuleEntity {\n    id\n    name\n    order\n    enabled\n    action\n    patterns\n    keywords\n    caseSensitive\n    models\n    paths\n    groups\n    tokenIds\n    maskWith\n    rerouteModel\n    blockMessage\n    tag\n    recordMatch\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGovernanceRule($input: CreateGovernanceRuleInput!) {\n    createGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateGovernanceRule($input: CreateGovernanceRuleInput!) {\n    createGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateGovernanceRule($input: UpdateGovernanceRuleInput!) {\n    updateGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateGovernanceRule($input: UpdateGovernanceRuleInput!) {\n    updateGovernanceRule(input: $input) {\n      rule {\n        ...GovernanceRuleFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteGovernanceRule($input: DeleteGovernanceRuleInput!) {\n    deleteGovernanceRule(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteGovernanceRule($input: DeleteGovernanceRuleInput!) {\n    deleteGovernanceRule(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlanFields on Plan {\n    id\n    name\n    period\n    allowance\n    rolloverCap\n    models\n    groups\n    price\n    active\n    createdAt\n  }\n"): (typeof documents)["\n  fragment PlanFields on Plan {\n    id\n    name\n    period\n    allowance\n    rolloverCap\n    models\n    groups\n    price\n    active\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Plans {\n    plans {\n      ...PlanFields\n    }\n  }\n"): (typeof documents)["\n  query Plans {\n    plans {\n      ...PlanFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      ...PlanFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      ...PlanFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePlan($input: UpdatePlanInput!) {\n    updatePlan(input: $input) {\n      ...PlanFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePlan($input: UpdatePlanInput!) {\n    updatePlan(input: $input) {\n      ...PlanFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignPlan($input: AssignPlanInput!) {\n    assignPlan(input: $input) {\n      id\n      planId\n      userId\n      endsAt\n    }\n  }\n"): (typeof documents)["\n  mutation AssignPlan($input: AssignPlanInput!) {\n    assignPlan(input: $input) {\n      id\n      planId\n      userId\n      endsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignPlanToGroup($input: AssignPlanToGroupInput!) {\n    assignPlanToGroup(input: $input)\n  }\n"): (typeof documents)["\n  mutation AssignPlanToGroup($input: AssignPlanToGroupInput!) {\n    assignPlanToGroup(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelPriceFields on ModelPrice {\n    model\n    inputPerMillion\n    outputPerMillion\n    cacheReadPerMillion\n    cacheWritePerMillion\n    perCall\n    defaultMaxOutputTokens\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment ModelPriceFields on ModelPrice {\n    model\n    inputPerMillion\n    outputPerMillion\n    cacheReadPerMillion\n    cacheWritePerMillion\n    perCall\n    defaultMaxOutputTokens\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPrices {\n    modelPrices {\n      ...ModelPriceFields\n    }\n  }\n"): (typeof documents)["\n  query ModelPrices {\n    modelPrices {\n      ...ModelPriceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetModelPrice($input: SetModelPriceInput!) {\n    setModelPrice(input: $input) {\n      price {\n        ...ModelPriceFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetModelPrice($input: SetModelPriceInput!) {\n    setModelPrice(input: $input) {\n      price {\n        ...ModelPriceFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteModelPrice($input: DeleteModelPriceInput!) {\n    deleteModelPrice(input: $input) {\n      model\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteModelPrice($input: DeleteModelPriceInput!) {\n    deleteModelPrice(input: $input) {\n      model\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyDefaultPrices($input: ApplyDefaultPricesInput!) {\n    applyDefaultPrices(input: $input) {\n      skipped\n      prices {\n        ...ModelPriceFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ApplyDefaultPrices($input: ApplyDefaultPricesInput!) {\n    applyDefaultPrices(input: $input) {\n      skipped\n      prices {\n        ...ModelPriceFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportPriceRatios($input: ImportPriceRatiosInput!) {\n    importPriceRatios(input: $input) {\n      applied\n      groupMultipliers {\n        group\n        multiplier\n      }\n      prices {\n        model\n        inputPerMillion\n        outputPerMillion\n        cacheReadPerMillion\n        cacheWritePerMillion\n        perCall\n        existing\n        changed\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ImportPriceRatios($input: ImportPriceRatiosInput!) {\n    importPriceRatios(input: $input) {\n      applied\n      groupMultipliers {\n        group\n        multiplier\n      }\n      prices {\n        model\n        inputPerMillion\n        outputPerMillion\n        cacheReadPerMillion\n        cacheWritePerMillion\n        perCall\n        existing\n        changed\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PriceQuote($input: PriceQuoteInput!) {\n    priceQuote(input: $input) {\n      model\n      input\n      output\n      cacheRead\n      cacheWrite\n      perCall\n      multiplier\n      total\n      totalUsd\n    }\n  }\n"): (typeof documents)["\n  query PriceQuote($input: PriceQuoteInput!) {\n    priceQuote(input: $input) {\n      model\n      input\n      output\n      cacheRead\n      cacheWrite\n      perCall\n      multiplier\n      total\n      totalUsd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GatewaySettingsFields on GatewaySettings {\n    defaultMaxOutputTokens\n    allowUnpricedModels\n    maxRequestBodyBytes\n    retry {\n      maxAttempts\n      budgetRatio\n      retryOnStatus\n    }\n    breaker {\n      failureRateThreshold\n      minimumRequests\n      openSeconds\n      windowSeconds\n    }\n    sessionAffinity {\n      enabled\n      headers\n      ttlSeconds\n    }\n    perIpLimits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    groupLimits {\n      group\n      limits {\n        requestsPerMinute\n        tokensPerMinute\n        concurrentRequests\n      }\n    }\n    groupMultipliers {\n      group\n      multiplier\n    }\n  }\n"): (typeof documents)["\n  fragment GatewaySettingsFields on GatewaySettings {\n    defaultMaxOutputTokens\n    allowUnpricedModels\n    maxRequestBodyBytes\n    retry {\n      maxAttempts\n      budgetRatio\n      retryOnStatus\n    }\n    breaker {\n      failureRateThreshold\n      minimumRequests\n      openSeconds\n      windowSeconds\n    }\n    sessionAffinity {\n      enabled\n      headers\n      ttlSeconds\n    }\n    perIpLimits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n    groupLimits {\n      group\n      limits {\n        requestsPerMinute\n        tokensPerMinute\n        concurrentRequests\n      }\n    }\n    groupMultipliers {\n      group\n      multiplier\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GatewaySettings {\n    gatewaySettings {\n      ...GatewaySettingsFields\n    }\n  }\n"): (typeof documents)["\n  query GatewaySettings {\n    gatewaySettings {\n      ...GatewaySettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateGatewaySettings($input: UpdateGatewaySettingsInput!) {\n    updateGatewaySettings(input: $input) {\n      settings {\n        ...GatewaySettingsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateGatewaySettings($input: UpdateGatewaySettingsInput!) {\n    updateGatewaySettings(input: $input) {\n      settings {\n        ...GatewaySettingsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n          quota\n          quotaUsed\n          unlimitedQuota\n          limits {\n            requestsPerMinute\n            tokensPerMinute\n            concurrentRequests\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n          quota\n          quotaUsed\n          unlimitedQuota\n          limits {\n            requestsPerMinute\n            tokensPerMinute\n            concurrentRequests\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTokenQuota($input: UpdateTokenQuotaInput!) {\n    updateTokenQuota(input: $input) {\n      token {\n        id\n        quota\n        quotaUsed\n        unlimitedQuota\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTokenQuota($input: UpdateTokenQuotaInput!) {\n    updateTokenQuota(input: $input) {\n      token {\n        id\n        quota\n        quotaUsed\n        unlimitedQuota\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTokenLimits($input: SetTokenLimitsInput!) {\n    setTokenLimits(input: $input) {\n      token {\n        id\n        limits {\n          requestsPerMinute\n          tokensPerMinute\n          concurrentRequests\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetTokenLimits($input: SetTokenLimitsInput!) {\n    setTokenLimits(input: $input) {\n      token {\n        id\n        limits {\n          requestsPerMinute\n          tokensPerMinute\n          concurrentRequests\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n          tags\n          attempts {\n            channelId\n            status\n            errorCode\n            durationMs\n          }\n          costBreakdown {\n            input\n            output\n            cacheRead\n            cacheWrite\n            perCall\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n          tags\n          attempts {\n            channelId\n            status\n            errorCode\n            durationMs\n          }\n          costBreakdown {\n            input\n            output\n            cacheRead\n            cacheWrite\n            perCall\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageSummary($input: UsageSummaryInput!) {\n    usageSummary(input: $input) {\n      day\n      model\n      requests\n      errors\n      promptTokens\n      completionTokens\n      cost\n    }\n  }\n"): (typeof documents)["\n  query UsageSummary($input: UsageSummaryInput!) {\n    usageSummary(input: $input) {\n      day\n      model\n      requests\n      errors\n      promptTokens\n      completionTokens\n      cost\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id\n    username\n    email\n    role\n    group\n    status\n    balance\n    createdAt\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n  }\n"): (typeof documents)["\n  fragment UserFields on User {\n    id\n    username\n    email\n    role\n    group\n    status\n    balance\n    createdAt\n    limits {\n      requestsPerMinute\n      tokensPerMinute\n      concurrentRequests\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Users($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...UserFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      user {\n        ...UserFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustBalance($input: AdjustBalanceInput!) {\n    adjustBalance(input: $input) {\n      user {\n        id\n        balance\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustBalance($input: AdjustBalanceInput!) {\n    adjustBalance(input: $input) {\n      user {\n        id\n        balance\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VoucherFields on Voucher {\n    id\n    batchId\n    codeHint\n    kind\n    amount\n    planId\n    planPeriods\n    maxRedemptions\n    redemptionCount\n    oncePerUser\n    groups\n    expiresAt\n    status\n    createdAt\n  }\n"): (typeof documents)["\n  fragment VoucherFields on Voucher {\n    id\n    batchId\n    codeHint\n    kind\n    amount\n    planId\n    planPeriods\n    maxRedemptions\n    redemptionCount\n    oncePerUser\n    groups\n    expiresAt\n    status\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Vouchers($first: Int, $after: String) {\n    vouchers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...VoucherFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Vouchers($first: Int, $after: String) {\n    vouchers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...VoucherFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVouchers($input: CreateVouchersInput!) {\n    createVouchers(input: $input) {\n      batchId\n      codes\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVouchers($input: CreateVouchersInput!) {\n    createVouchers(input: $input) {\n      batchId\n      codes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VoucherBatchCsv($batchId: ID!) {\n    voucherBatchCsv(batchId: $batchId)\n  }\n"): (typeof documents)["\n  query VoucherBatchCsv($batchId: ID!) {\n    voucherBatchCsv(batchId: $batchId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Wallet($userId: ID!, $first: Int) {\n    me {\n      id\n      balance\n      group\n    }\n    planSubscriptions(userId: $userId) {\n      id\n      planId\n      periodKey\n      createdAt\n    }\n    ledgerEntries(first: $first, userId: $userId) {\n      edges {\n        node {\n          id\n          kind\n          amount\n          balanceAfter\n          reason\n          createdAt\n        }\n      }\n    }\n    topUpMethods {\n      stripe\n      epay\n    }\n  }\n"): (typeof documents)["\n  query Wallet($userId: ID!, $first: Int) {\n    me {\n      id\n      balance\n      group\n    }\n    planSubscriptions(userId: $userId) {\n      id\n      planId\n      periodKey\n      createdAt\n    }\n    ledgerEntries(first: $first, userId: $userId) {\n      edges {\n        node {\n          id\n          kind\n          amount\n          balanceAfter\n          reason\n          createdAt\n        }\n      }\n    }\n    topUpMethods {\n      stripe\n      epay\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeemVoucher($input: RedeemVoucherInput!) {\n    redeemVoucher(input: $input) {\n      user {\n        id\n        balance\n      }\n      voucher {\n        id\n        kind\n        amount\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RedeemVoucher($input: RedeemVoucherInput!) {\n    redeemVoucher(input: $input) {\n      user {\n        id\n        balance\n      }\n      voucher {\n        id\n        kind\n        amount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStripeCheckout($input: CreateStripeCheckoutInput!) {\n    createStripeCheckout(input: $input) {\n      checkoutUrl\n    }\n  }\n"): (typeof documents)["\n  mutation CreateStripeCheckout($input: CreateStripeCheckoutInput!) {\n    createStripeCheckout(input: $input) {\n      checkoutUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEpayOrder($input: CreateEpayOrderInput!) {\n    createEpayOrder(input: $input) {\n      payUrl\n    }\n  }\n"): (typeof documents)["\n  mutation CreateEpayOrder($input: CreateEpayOrderInput!) {\n    createEpayOrder(input: $input) {\n      payUrl\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;