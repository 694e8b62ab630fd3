// Picks the upstream for one attempt: snapshot.routes[group][model] -> highest-priority tier with a usable channel ->
// weighted random channel -> key (random or round-robin) -> model mapping. Channels that failed earlier in this request
// are excluded; with `health`, open breakers and disabled keys are skipped (read from memory, no Redis call).
import { redisKeys, type RouteTier, type Snapshot, type SnapshotChannel } from '@nebulagate/schema';
import { providerAdapterFor, type ProviderAdapter, type RelayEndpoint } from '../providers';
import { keyIdAt, type RoutingHealth } from '../resilience/channel-health';
import { nextRoundRobin, selectKeyIndex } from '../resilience/key-selection';
import type { AffinityTarget } from '../resilience/session-affinity';

export interface PlannedAttempt {
  channel: SnapshotChannel;
  adapter: ProviderAdapter;
  sealedKey: string;
  /** Names the key in breaker state, disables and the attempt log without revealing it. */
  keyId: string;
  /** Breaker keys whose half-open lease this attempt must take first (empty when everything is closed). */
  probes: string[];
  upstreamModel: string;
}

export function routeTiers(snapshot: Snapshot, group: string, model: string): RouteTier[] | null {
  const tiers = snapshot.routes[group]?.[model];
  return tiers && tiers.length > 0 ? tiers : null;
}

/** Models the group can route to, optionally narrowed by a token allow-list. */
export function routableModels(snapshot: Snapshot, group: string, allowList: string[] | null): string[] {
  const byModel = snapshot.routes[group] ?? {};
  return Object.keys(byModel)
    .filter((model) => (allowList === null || allowList.includes(model)) && (byModel[model]?.length ?? 0) > 0)
    .filter((model) => snapshot.settings.allowUnpricedModels || snapshot.prices[model] !== undefined)
    .sort();
}

function pickWeighted<T extends { weight: number }>(candidates: T[], random: () => number): T | undefined {
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  // All weights 0 means "no preference".
  if (total <= 0) return candidates[Math.floor(random() * candidates.length)];
  let point = random() * total;
  for (const candidate of candidates) {
    point -= candidate.weight;
    if (point < 0) return candidate;
  }
  return candidates[candidates.length - 1];
}

export interface PlanOptions {
  /** Breaker states and disabled keys (from memory); absent = every channel and key is usable. */
  health?: RoutingHealth | null;
  /** Session affinity: the channel + key that served this conversation, used while they are usable. */
  preferred?: AffinityTarget | null;
  now?: number;
}

interface Candidate {
  weight: number;
  channel: SnapshotChannel;
  adapter: ProviderAdapter;
  channelProbe: boolean;
  /** Key positions usable without a probe, or (when there are none) the ones due for a probe. */
  keyIndexes: number[];
  keyProbe: boolean;
}

function candidateFor(
  snapshot: Snapshot,
  channelId: string,
  weight: number,
  endpoint: RelayEndpoint,
  health: RoutingHealth | null,
  now: number,
): Candidate | null {
  const channel = snapshot.channels[channelId];
  if (!channel || channel.sealedKeys.length === 0) return null;
  const adapter = providerAdapterFor(channel.type);
  if (!adapter?.endpoints.has(endpoint)) return null;
  if (!health) return { weight, channel, adapter, channelProbe: false, keyIndexes: channel.sealedKeys.map((_, index) => index), keyProbe: false };
  const channelAvailability = health.channelAvailability(channelId, now);
  if (channelAvailability === 'blocked') return null;
  const usable: number[] = [];
  const probing: number[] = [];
  for (let index = 0; index < channel.sealedKeys.length; index += 1) {
    const availability = health.keyAvailability(channelId, keyIdAt(channel.keyIds, index), now);
    if (availability === 'usable') usable.push(index);
    else if (availability === 'probe') probing.push(index);
  }
  if (usable.length === 0 && probing.length === 0) return null;
  const keyProbe = usable.length === 0;
  return { weight, channel, adapter, channelProbe: channelAvailability === 'probe', keyIndexes: keyProbe ? probing : usable, keyProbe };
}

function plannedFrom(candidate: Candidate, keyIndex: number, model: string): PlannedAttempt {
  const { channel } = candidate;
  const keyId = keyIdAt(channel.keyIds, keyIndex);
  const probes: string[] = [];
  if (candidate.channelProbe) probes.push(redisKeys.breaker(channel.id));
  if (candidate.keyProbe) probes.push(redisKeys.breaker(channel.id, keyId));
  return {
    channel,
    adapter: candidate.adapter,
    sealedKey: channel.sealedKeys[keyIndex] as string,
    keyId,
    probes,
    upstreamModel: channel.modelMapping[model] ?? model,
  };
}

function preferredAttempt(
  snapshot: Snapshot,
  tiers: RouteTier[],
  model: string,
  excludedChannelIds: ReadonlySet<string>,
  endpoint: RelayEndpoint,
  options: PlanOptions,
  now: number,
): PlannedAttempt | null {
  const preferred = options.preferred;
  if (!preferred || excludedChannelIds.has(preferred.channelId)) return null;
  // Only while the channel still serves this model for this caller.
  const entry = tiers.flatMap((tier) => tier.channels).find((channel) => channel.channelId === preferred.channelId);
  if (!entry) return null;
  const candidate = candidateFor(snapshot, entry.channelId, entry.weight, endpoint, options.health ?? null, now);
  if (!candidate || candidate.channelProbe || candidate.keyProbe) return null;
  const keyIndex = candidate.keyIndexes.find((index) => keyIdAt(candidate.channel.keyIds, index) === preferred.keyId);
  return keyIndex === undefined ? null : plannedFrom(candidate, keyIndex, model);
}

export function planAttempt(
  snapshot: Snapshot,
  tiers: RouteTier[],
  model: string,
  excludedChannelIds: ReadonlySet<string>,
  random: () => number = Math.random,
  endpoint: RelayEndpoint = 'chat',
  options: PlanOptions = {},
): PlannedAttempt | null {
  const now = options.now ?? Date.now();
  const health = options.health ?? null;
  const preferred = preferredAttempt(snapshot, tiers, model, excludedChannelIds, endpoint, options, now);
  if (preferred) return preferred;
  const ordered = tiers.length > 1 ? [...tiers].sort((a, b) => b.priority - a.priority) : tiers;
  for (const tier of ordered) {
    const usable: Candidate[] = [];
    for (const entry of tier.channels) {
      if (excludedChannelIds.has(entry.channelId)) continue;
      const candidate = candidateFor(snapshot, entry.channelId, entry.weight, endpoint, health, now);
      if (candidate) usable.push(candidate);
    }
    const chosen = pickWeighted(usable, random);
    if (!chosen) continue;
    const keyIndex = selectKeyIndex(chosen.keyIndexes, chosen.channel.keySelection, () => nextRoundRobin(chosen.channel), random);
    return plannedFrom(chosen, keyIndex, model);
  }
  return null;
}
