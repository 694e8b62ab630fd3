// The settings form edits strings; these pure functions convert from the query result and to the update input.
import type { GatewaySettingsFieldsFragment, LimitsInput, UpdateGatewaySettingsInput } from '../../gql/graphql';
import { parseList } from '../../lib/parse-list';

// Type aliases, not interfaces: the row editor needs them to be plain string records.
export type LimitsDraft = {
  requestsPerMinute: string;
  tokensPerMinute: string;
  concurrentRequests: string;
};

export type GroupLimitsDraft = LimitsDraft & { group: string };

export type GroupMultiplierDraft = { group: string; multiplier: string };

export interface SettingsDraft {
  defaultMaxOutputTokens: string;
  allowUnpricedModels: boolean;
  maxRequestBodyBytes: string;
  retryMaxAttempts: string;
  retryBudgetRatio: string;
  retryOnStatus: string;
  breakerFailureRateThreshold: string;
  breakerMinimumRequests: string;
  breakerOpenSeconds: string;
  breakerWindowSeconds: string;
  affinityEnabled: boolean;
  affinityHeaders: string;
  affinityTtlSeconds: string;
  perIpLimits: LimitsDraft;
  groupLimits: GroupLimitsDraft[];
  groupMultipliers: GroupMultiplierDraft[];
}

type Limits = GatewaySettingsFieldsFragment['perIpLimits'];

function limitText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function limitsDraft(limits: Limits): LimitsDraft {
  return {
    requestsPerMinute: limitText(limits.requestsPerMinute),
    tokensPerMinute: limitText(limits.tokensPerMinute),
    concurrentRequests: limitText(limits.concurrentRequests),
  };
}

export function draftFromSettings(settings: GatewaySettingsFieldsFragment): SettingsDraft {
  return {
    defaultMaxOutputTokens: String(settings.defaultMaxOutputTokens),
    allowUnpricedModels: settings.allowUnpricedModels,
    maxRequestBodyBytes: String(settings.maxRequestBodyBytes),
    retryMaxAttempts: String(settings.retry.maxAttempts),
    retryBudgetRatio: String(settings.retry.budgetRatio),
    retryOnStatus: settings.retry.retryOnStatus.join(', '),
    breakerFailureRateThreshold: String(settings.breaker.failureRateThreshold),
    breakerMinimumRequests: String(settings.breaker.minimumRequests),
    breakerOpenSeconds: String(settings.breaker.openSeconds),
    breakerWindowSeconds: String(settings.breaker.windowSeconds),
    affinityEnabled: settings.sessionAffinity.enabled,
    affinityHeaders: settings.sessionAffinity.headers.join(', '),
    affinityTtlSeconds: String(settings.sessionAffinity.ttlSeconds),
    perIpLimits: limitsDraft(settings.perIpLimits),
    groupLimits: settings.groupLimits.map((entry) => ({ group: entry.group, ...limitsDraft(entry.limits) })),
    groupMultipliers: settings.groupMultipliers.map((entry) => ({ group: entry.group, multiplier: String(entry.multiplier) })),
  };
}

/** An empty cap field means "no cap" (null); anything else is sent as a number for the server to check. */
function optionalNumber(text: string): number | null {
  const trimmed = text.trim();
  return trimmed.length > 0 ? Number(trimmed) : null;
}

function limitsInput(draft: LimitsDraft): LimitsInput {
  return {
    requestsPerMinute: optionalNumber(draft.requestsPerMinute),
    tokensPerMinute: optionalNumber(draft.tokensPerMinute),
    concurrentRequests: optionalNumber(draft.concurrentRequests),
  };
}

/** Fields that are not finite numbers, by draft key, so the form can say which ones to fix before sending. */
export function invalidNumberFields(draft: SettingsDraft): string[] {
  const required: Array<keyof SettingsDraft> = [
    'defaultMaxOutputTokens',
    'maxRequestBodyBytes',
    'retryMaxAttempts',
    'retryBudgetRatio',
    'breakerFailureRateThreshold',
    'breakerMinimumRequests',
    'breakerOpenSeconds',
    'breakerWindowSeconds',
    'affinityTtlSeconds',
  ];
  const invalid = required.filter((key) => {
    const value = draft[key];
    return typeof value === 'string' && (value.trim() === '' || !Number.isFinite(Number(value)));
  });
  const statuses = parseList(draft.retryOnStatus);
  if (statuses.some((status) => !Number.isInteger(Number(status)))) invalid.push('retryOnStatus');
  if (draft.groupMultipliers.some((entry) => !Number.isFinite(Number(entry.multiplier)) || entry.multiplier.trim() === '')) {
    invalid.push('groupMultipliers');
  }
  return invalid;
}

export function draftToInput(draft: SettingsDraft): UpdateGatewaySettingsInput {
  return {
    defaultMaxOutputTokens: Number(draft.defaultMaxOutputTokens),
    allowUnpricedModels: draft.allowUnpricedModels,
    maxRequestBodyBytes: Number(draft.maxRequestBodyBytes),
    retry: {
      maxAttempts: Number(draft.retryMaxAttempts),
      budgetRatio: Number(draft.retryBudgetRatio),
      retryOnStatus: parseList(draft.retryOnStatus).map(Number),
    },
    breaker: {
      failureRateThreshold: Number(draft.breakerFailureRateThreshold),
      minimumRequests: Number(draft.breakerMinimumRequests),
      openSeconds: Number(draft.breakerOpenSeconds),
      windowSeconds: Number(draft.breakerWindowSeconds),
    },
    sessionAffinity: {
      enabled: draft.affinityEnabled,
      headers: parseList(draft.affinityHeaders),
      ttlSeconds: Number(draft.affinityTtlSeconds),
    },
    perIpLimits: limitsInput(draft.perIpLimits),
    groupLimits: draft.groupLimits
      .filter((entry) => entry.group.trim().length > 0)
      .map((entry) => ({ group: entry.group.trim(), limits: limitsInput(entry) })),
    groupMultipliers: draft.groupMultipliers
      .filter((entry) => entry.group.trim().length > 0)
      .map((entry) => ({ group: entry.group.trim(), multiplier: Number(entry.multiplier) })),
  };
}
