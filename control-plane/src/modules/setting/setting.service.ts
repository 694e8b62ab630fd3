// Gateway settings: stored as one JSON document, validated with the snapshot's own schema (so nothing the data plane
// would refuse can be saved), audited, and compiled into every snapshot.
import type { EntityManager } from '@mikro-orm/core';
import { DEFAULT_SNAPSHOT_SETTINGS, limitsSchema, snapshotSettingsSchema, type Limits, type SnapshotSettings } from '@nebulagate/schema';
import { z } from 'zod';
import { appError, assertThat } from '../../graphql/errors';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { Setting } from './setting.entity';
import type { GatewaySettings, LimitsInput, UpdateGatewaySettingsInput } from './setting.types';

const GATEWAY_KEY = 'gateway';
const GROUP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const storedSchema = z.object({
  settings: snapshotSettingsSchema,
  groupMultipliers: z.record(z.string().regex(GROUP_NAME), z.number().positive().max(1000)),
});
export type StoredGatewaySettings = z.infer<typeof storedSchema>;

const DEFAULTS: StoredGatewaySettings = { settings: DEFAULT_SNAPSHOT_SETTINGS, groupMultipliers: {} };

/** What the snapshot compiler uses: the stored document, or the defaults before anything was saved. */
export async function loadGatewaySettings(em: EntityManager): Promise<StoredGatewaySettings> {
  const row = await em.findOne(Setting, { key: GATEWAY_KEY });
  if (!row) return DEFAULTS;
  const parsed = storedSchema.safeParse(row.value);
  // Defaults for anything an older version did not store; a document that no longer validates keeps the defaults.
  return parsed.success ? parsed.data : DEFAULTS;
}

function limitsOf(input: LimitsInput): Limits {
  return {
    requestsPerMinute: input.requestsPerMinute ?? null,
    tokensPerMinute: input.tokensPerMinute ?? null,
    concurrentRequests: input.concurrentRequests ?? null,
  };
}

/** A LimitsInput checked like the snapshot checks it: each cap a positive integer, or null for none. */
export function readLimits(input: LimitsInput): Limits {
  const parsed = limitsSchema.safeParse(limitsOf(input));
  if (!parsed.success) throw appError('BAD_USER_INPUT', `${parsed.error.issues[0]?.path.join('.') ?? 'limits'}: each limit must be a positive whole number, or empty for none`);
  return parsed.data;
}

/** The fields of a partial input that were given (null and undefined both mean "unchanged"). */
function definedOnly<T extends object>(value: T | null | undefined): { [K in keyof T]?: NonNullable<T[K]> } {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };
}

function toGraphql(stored: StoredGatewaySettings): GatewaySettings {
  const { settings } = stored;
  return {
    defaultMaxOutputTokens: settings.defaultMaxOutputTokens,
    allowUnpricedModels: settings.allowUnpricedModels,
    maxRequestBodyBytes: settings.maxRequestBodyBytes,
    retry: settings.retry,
    breaker: settings.breaker,
    sessionAffinity: settings.sessionAffinity,
    perIpLimits: settings.limits.perIp,
    groupLimits: Object.entries(settings.limits.groupDefaults).map(([group, limits]) => ({ group, limits })),
    groupMultipliers: Object.entries(stored.groupMultipliers).map(([group, multiplier]) => ({ group, multiplier })),
  };
}

export class SettingService {
  constructor(private readonly publisher: RedisPublisher) {}

  /** Merges group multipliers into the stored settings (e.g. from a ratio import); the caller flushes and publishes. */
  async mergeGroupMultipliers(em: EntityManager, actor: Actor, multipliers: Record<string, number>): Promise<void> {
    const current = await loadGatewaySettings(em);
    const next = storedSchema.parse({ ...current, groupMultipliers: { ...current.groupMultipliers, ...multipliers } });
    let row = await em.findOne(Setting, { key: GATEWAY_KEY });
    if (!row) row = em.create(Setting, { key: GATEWAY_KEY, value: {}, updatedAt: new Date() });
    row.value = next;
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'settings.update', target: GATEWAY_KEY, before: current, after: next, ip: actor.ip });
  }

  async get(em: EntityManager): Promise<GatewaySettings> {
    return toGraphql(await loadGatewaySettings(em));
  }

  async update(em: EntityManager, actor: Actor, input: UpdateGatewaySettingsInput): Promise<GatewaySettings> {
    const current = await loadGatewaySettings(em);
    const settings: SnapshotSettings = {
      ...current.settings,
      ...definedOnly({ defaultMaxOutputTokens: input.defaultMaxOutputTokens, allowUnpricedModels: input.allowUnpricedModels, maxRequestBodyBytes: input.maxRequestBodyBytes }),
      retry: { ...current.settings.retry, ...definedOnly(input.retry) },
      breaker: { ...current.settings.breaker, ...definedOnly(input.breaker) },
      sessionAffinity: { ...current.settings.sessionAffinity, ...definedOnly(input.sessionAffinity) },
      limits: {
        perIp: input.perIpLimits ? limitsOf(input.perIpLimits) : current.settings.limits.perIp,
        groupDefaults: input.groupLimits
          ? Object.fromEntries(input.groupLimits.map((entry) => [entry.group.trim(), limitsOf(entry.limits)]))
          : current.settings.limits.groupDefaults,
      },
    };
    if (input.groupLimits) {
      for (const entry of input.groupLimits) assertThat(GROUP_NAME.test(entry.group.trim()), 'BAD_USER_INPUT', `invalid group name "${entry.group}"`);
    }
    const groupMultipliers = input.groupMultipliers
      ? Object.fromEntries(input.groupMultipliers.map((entry) => [entry.group.trim(), entry.multiplier]))
      : current.groupMultipliers;
    const parsed = storedSchema.safeParse({ settings, groupMultipliers });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw appError('BAD_USER_INPUT', `${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid value'}`);
    }
    let row = await em.findOne(Setting, { key: GATEWAY_KEY });
    if (!row) row = em.create(Setting, { key: GATEWAY_KEY, value: {}, updatedAt: new Date() });
    row.value = parsed.data;
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'settings.update', target: GATEWAY_KEY, before: current, after: parsed.data, ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return toGraphql(parsed.data);
  }
}
