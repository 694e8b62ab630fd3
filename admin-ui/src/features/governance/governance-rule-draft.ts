// The governance form edits a draft of plain strings; these pure functions convert to and from the GraphQL shapes.
import type { CreateGovernanceRuleInput, GovernanceAction, GovernanceRuleFieldsFragment } from '../../gql/graphql';
import { parseLines, parseList, parseOptionalList } from '../../lib/parse-list';

export const GOVERNANCE_ACTIONS: readonly GovernanceAction[] = ['BLOCK', 'MASK', 'REROUTE', 'TAG'];

export interface RuleDraft {
  name: string;
  order: string;
  enabled: boolean;
  action: GovernanceAction;
  /** One regular expression per line (they may contain commas). */
  patterns: string;
  keywords: string;
  caseSensitive: boolean;
  models: string;
  paths: string;
  groups: string;
  tokenIds: string;
  maskWith: string;
  rerouteModel: string;
  blockMessage: string;
  tag: string;
  recordMatch: boolean;
}

export const EMPTY_RULE_DRAFT: RuleDraft = {
  name: '',
  order: '0',
  enabled: true,
  action: 'BLOCK',
  patterns: '',
  keywords: '',
  caseSensitive: false,
  models: '',
  paths: '',
  groups: '',
  tokenIds: '',
  maskWith: '***',
  rerouteModel: '',
  blockMessage: '',
  tag: '',
  recordMatch: false,
};

export function draftFromRule(rule: GovernanceRuleFieldsFragment): RuleDraft {
  return {
    name: rule.name,
    order: String(rule.order),
    enabled: rule.enabled,
    action: rule.action,
    patterns: rule.patterns.join('\n'),
    keywords: rule.keywords.join(', '),
    caseSensitive: rule.caseSensitive,
    models: rule.models?.join(', ') ?? '',
    paths: rule.paths?.join(', ') ?? '',
    groups: rule.groups?.join(', ') ?? '',
    tokenIds: rule.tokenIds?.join(', ') ?? '',
    maskWith: rule.maskWith,
    rerouteModel: rule.rerouteModel ?? '',
    blockMessage: rule.blockMessage ?? '',
    tag: rule.tag ?? '',
    recordMatch: rule.recordMatch,
  };
}

function optionalText(text: string): string | null {
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** The mutation input; only the field the chosen action uses is sent, the server checks the rest. */
export function draftToInput(draft: RuleDraft): CreateGovernanceRuleInput {
  const order = Number(draft.order.trim() || '0');
  return {
    name: draft.name.trim(),
    // A non-integer goes through as is, so the server's message says what is wrong.
    order,
    enabled: draft.enabled,
    action: draft.action,
    patterns: parseLines(draft.patterns),
    keywords: parseList(draft.keywords),
    caseSensitive: draft.caseSensitive,
    models: parseOptionalList(draft.models),
    paths: parseOptionalList(draft.paths),
    groups: parseOptionalList(draft.groups),
    tokenIds: parseOptionalList(draft.tokenIds),
    maskWith: draft.action === 'MASK' ? draft.maskWith : '***',
    rerouteModel: draft.action === 'REROUTE' ? optionalText(draft.rerouteModel) : null,
    blockMessage: draft.action === 'BLOCK' ? optionalText(draft.blockMessage) : null,
    tag: draft.action === 'TAG' ? optionalText(draft.tag) : null,
    recordMatch: draft.recordMatch,
  };
}
