// The usage stream entry: the event as JSON plus, when the settle script wrote it, what that script actually charged
// (plan part, wallet part, overshoot no balance covered). The charge is known only inside the script, so it travels
// in its own fields and is merged into the event when the entry is read.
import { usageEventSchema, type UsageEvent } from './usage-event';

/** Consumer group of the workers that forward stream entries to the usage queue. */
export const USAGE_STREAM_GROUP = 'usage-forwarder';

/** Field names of one stream entry (short: they are stored once per request). */
export const USAGE_STREAM_FIELDS = { event: 'e', planCost: 'p', walletCost: 'w', uncovered: 'u' } as const;

/** Tag an event gets when the actual cost exceeded both the reservation and what the balances could still cover. */
export const OVERSHOOT_UNCOVERED_TAG = 'billing:overshoot-uncovered';

export type UsageStreamReading =
  | { ok: true; event: UsageEvent }
  /** `data` is whatever could be read, so the entry can still be handed on (and fail visibly) instead of vanishing. */
  | { ok: false; problem: string; requestId: string | null; data: unknown };

function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index] as string, fields[index + 1] as string);
  return map;
}

function integerField(map: Map<string, string>, name: string): number | null {
  const text = map.get(name);
  if (text === undefined) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Reads one entry's flat field list ([name, value, name, value...], as XRANGE / XREADGROUP return it). */
export function readUsageStreamEntry(fields: readonly string[]): UsageStreamReading {
  const map = fieldMap(fields);
  let data: unknown;
  try {
    data = JSON.parse(map.get(USAGE_STREAM_FIELDS.event) ?? '');
  } catch {
    return { ok: false, problem: 'the event is not JSON', requestId: null, data: { unreadable: map.get(USAGE_STREAM_FIELDS.event) ?? null } };
  }
  const requestId = typeof data === 'object' && data !== null && typeof (data as { requestId?: unknown }).requestId === 'string' ? (data as { requestId: string }).requestId : null;
  const planCost = integerField(map, USAGE_STREAM_FIELDS.planCost);
  const walletCost = integerField(map, USAGE_STREAM_FIELDS.walletCost);
  const uncovered = integerField(map, USAGE_STREAM_FIELDS.uncovered);
  if (planCost !== null && walletCost !== null && typeof data === 'object' && data !== null) {
    const charged = data as { cost?: unknown; planCost?: unknown; tags?: unknown };
    charged.cost = planCost + walletCost;
    charged.planCost = planCost;
    if (uncovered !== null && uncovered > 0) charged.tags = [...(Array.isArray(charged.tags) ? charged.tags : []), OVERSHOOT_UNCOVERED_TAG];
  }
  const parsed = usageEventSchema.safeParse(data);
  if (!parsed.success) {
    const problem = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    return { ok: false, problem, requestId, data };
  }
  return { ok: true, event: parsed.data };
}
