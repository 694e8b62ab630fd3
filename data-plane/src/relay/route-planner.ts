// Picks the upstream for one attempt: snapshot.routes[group][model] -> highest-priority tier with a usable channel ->
// weighted random channel -> random key -> model mapping. Channels that failed earlier in this request are excluded.
import type { RouteTier, Snapshot, SnapshotChannel } from '@nebulagate/schema';
import { providerAdapterFor, type ProviderAdapter, type RelayEndpoint } from '../providers';

export interface PlannedAttempt {
  channel: SnapshotChannel;
  adapter: ProviderAdapter;
  sealedKey: string;
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

export function planAttempt(
  snapshot: Snapshot,
  tiers: RouteTier[],
  model: string,
  excludedChannelIds: ReadonlySet<string>,
  random: () => number = Math.random,
  endpoint: RelayEndpoint = 'chat',
): PlannedAttempt | null {
  const ordered = [...tiers].sort((a, b) => b.priority - a.priority);
  for (const tier of ordered) {
    const usable: Array<{ weight: number; channel: SnapshotChannel; adapter: ProviderAdapter }> = [];
    for (const entry of tier.channels) {
      if (excludedChannelIds.has(entry.channelId)) continue;
      const channel = snapshot.channels[entry.channelId];
      if (!channel || channel.sealedKeys.length === 0) continue;
      const adapter = providerAdapterFor(channel.type);
      if (!adapter?.endpoints.has(endpoint)) continue;
      usable.push({ weight: entry.weight, channel, adapter });
    }
    const chosen = pickWeighted(usable, random);
    if (!chosen) continue;
    const sealedKey = chosen.channel.sealedKeys[Math.floor(random() * chosen.channel.sealedKeys.length)] as string;
    return { channel: chosen.channel, adapter: chosen.adapter, sealedKey, upstreamModel: chosen.channel.modelMapping[model] ?? model };
  }
  return null;
}
