// The channel form edits a draft of plain strings; these pure functions check it and convert it to and from the
// GraphQL shapes. Keys never come back from the server, so an edit draft starts with an empty keys field.
import type { ChannelFieldsFragment, ChannelKeySelection, CreateChannelInput, UpdateChannelInput } from '../../gql/graphql';
import { PROVIDER_IDS, type ProviderId } from '../../lib/contract';
import { parseLines, parseList } from '../../lib/parse-list';

export const KEY_SELECTIONS: readonly ChannelKeySelection[] = ['RANDOM', 'ROUND_ROBIN'];
export const JSON_FIELDS = ['modelMapping', 'parameterOverrides', 'headerOverrides', 'statusCodeMapping'] as const;
export type JsonField = (typeof JSON_FIELDS)[number];
export const LIMIT_FIELDS = ['requestsPerMinute', 'tokensPerMinute', 'concurrentRequests'] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export interface ChannelDraft {
  name: string;
  type: ProviderId;
  baseUrl: string;
  /** One key per line. Creating: the channel's keys. Editing: keys to add (existing ones are never shown). */
  keys: string;
  models: string;
  groups: string;
  tags: string;
  priority: string;
  weight: string;
  keySelection: ChannelKeySelection;
  modelMapping: string;
  parameterOverrides: string;
  headerOverrides: string;
  statusCodeMapping: string;
  requestsPerMinute: string;
  tokensPerMinute: string;
  concurrentRequests: string;
}

export const EMPTY_CHANNEL_DRAFT: ChannelDraft = {
  name: '',
  type: 'openai',
  baseUrl: '',
  keys: '',
  models: '',
  groups: 'default',
  tags: '',
  priority: '0',
  weight: '1',
  keySelection: 'RANDOM',
  modelMapping: '',
  parameterOverrides: '',
  headerOverrides: '',
  statusCodeMapping: '',
  requestsPerMinute: '',
  tokensPerMinute: '',
  concurrentRequests: '',
};

/** Why a draft cannot be sent; the form turns each into a translated message. */
export type DraftProblem =
  | { kind: 'invalidNumber' }
  | { kind: 'modelsRequired' }
  | { kind: 'keysRequired' }
  | { kind: 'invalidLimit'; field: LimitField }
  | { kind: 'invalidJson'; field: JsonField; reason: JsonProblem };

export type JsonProblem = 'syntax' | 'notObject';

export type JsonObjectResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: JsonProblem };

/** Empty text is an empty object; anything else must be a JSON object (not an array, string or null). */
export function parseJsonObject(text: string): JsonObjectResult {
  if (text.trim() === '') return { ok: true, value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'syntax' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'notObject' };
  return { ok: true, value: { ...parsed } };
}

/** {} shows as an empty field (cleaner than "{}"); anything else pretty-printed for editing. */
export function formatJsonObject(value: Record<string, unknown>): string {
  return Object.keys(value).length === 0 ? '' : JSON.stringify(value, null, 2);
}

/** "12" -> 12; the text must be a whole number of at least `minimum`, else null. */
export function parseWholeNumber(text: string, minimum: number): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= minimum ? value : null;
}

/** A cap: empty means none (null); otherwise a positive whole number. `undefined` marks invalid text. */
export function parseLimit(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  return parseWholeNumber(text, 1) ?? undefined;
}

function providerIdOf(type: string): ProviderId {
  return PROVIDER_IDS.find((candidate) => candidate === type) ?? 'openai';
}

export function draftFromChannel(channel: ChannelFieldsFragment): ChannelDraft {
  const limitText = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return {
    name: channel.name,
    type: providerIdOf(channel.type),
    baseUrl: channel.baseUrl,
    keys: '',
    models: channel.models.join(', '),
    groups: channel.groups.join(', '),
    tags: channel.tags.join(', '),
    priority: String(channel.priority),
    weight: String(channel.weight),
    keySelection: channel.keySelection,
    modelMapping: formatJsonObject(channel.modelMapping),
    parameterOverrides: formatJsonObject(channel.parameterOverrides),
    headerOverrides: formatJsonObject(channel.headerOverrides),
    statusCodeMapping: formatJsonObject(channel.statusCodeMapping),
    requestsPerMinute: limitText(channel.limits.requestsPerMinute),
    tokensPerMinute: limitText(channel.limits.tokensPerMinute),
    concurrentRequests: limitText(channel.limits.concurrentRequests),
  };
}

/** The fields create and update share, checked. */
type CommonInput = Omit<CreateChannelInput, 'keys'>;

function commonInputFromDraft(draft: ChannelDraft): { input: CommonInput } | { problem: DraftProblem } {
  const priority = parseWholeNumber(draft.priority, Number.MIN_SAFE_INTEGER);
  const weight = parseWholeNumber(draft.weight, 0);
  if (priority === null || weight === null) return { problem: { kind: 'invalidNumber' } };
  const models = parseList(draft.models);
  if (models.length === 0) return { problem: { kind: 'modelsRequired' } };
  const limits: Record<LimitField, number | null> = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };
  for (const field of LIMIT_FIELDS) {
    const value = parseLimit(draft[field]);
    if (value === undefined) return { problem: { kind: 'invalidLimit', field } };
    limits[field] = value;
  }
  const objects: Partial<Record<JsonField, Record<string, unknown>>> = {};
  for (const field of JSON_FIELDS) {
    const result = parseJsonObject(draft[field]);
    if (!result.ok) return { problem: { kind: 'invalidJson', field, reason: result.problem } };
    objects[field] = result.value;
  }
  return {
    input: {
      name: draft.name.trim(),
      type: draft.type,
      baseUrl: draft.baseUrl.trim(),
      models,
      groups: parseList(draft.groups),
      tags: parseList(draft.tags),
      priority,
      weight,
      keySelection: draft.keySelection,
      limits,
      modelMapping: objects.modelMapping ?? {},
      parameterOverrides: objects.parameterOverrides ?? {},
      headerOverrides: objects.headerOverrides ?? {},
      statusCodeMapping: objects.statusCodeMapping ?? {},
    },
  };
}

export function createInputFromDraft(draft: ChannelDraft): { input: CreateChannelInput } | { problem: DraftProblem } {
  const common = commonInputFromDraft(draft);
  if ('problem' in common) return common;
  // One key per line, as the field says; the server checks each one.
  const keys = parseLines(draft.keys);
  if (keys.length === 0) return { problem: { kind: 'keysRequired' } };
  return { input: { ...common.input, keys } };
}

export function updateInputFromDraft(id: string, draft: ChannelDraft): { input: UpdateChannelInput } | { problem: DraftProblem } {
  const common = commonInputFromDraft(draft);
  if ('problem' in common) return common;
  const addKeys = parseLines(draft.keys);
  return { input: { id, ...common.input, ...(addKeys.length > 0 ? { addKeys } : {}) } };
}

/** Every distinct tag of the listed channels, sorted, for the tag filter. */
export function tagsOf(channels: readonly { tags: readonly string[] }[]): string[] {
  return [...new Set(channels.flatMap((channel) => channel.tags))].sort((left, right) => left.localeCompare(right));
}
