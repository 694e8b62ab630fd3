// Compiles enabled channels and prices from the database into one snapshot (same layout as testing/src/seed-redis.ts).
import type { EntityManager } from '@mikro-orm/core';
import {
  DEFAULT_SNAPSHOT_SETTINGS,
  isProviderId,
  SNAPSHOT_SCHEMA_VERSION,
  snapshotSchema,
  type Snapshot,
  type SnapshotInput,
} from '@nebulagate/schema';
import { Channel, ChannelStatus } from '../modules/channel/channel.entity';
import { loadGatewaySettings } from '../modules/setting/setting.service';
import { compileGovernanceRule } from '../modules/governance/governance.service';
import { GovernanceRuleEntity } from '../modules/governance/governance-rule.entity';
import { ModelPrice } from '../modules/price/price.entity';

/**
 * The keys the data plane may use: admin-disabled keys left out, keyIds index-aligned with sealedKeys. Channels saved
 * before per-key state have no ids yet: all their keys serve and keyIds stays empty (the snapshot's "not compiled").
 */
export function servingKeys(channel: Pick<Channel, 'sealedKeys' | 'keyStates'>): { sealedKeys: string[]; keyIds: string[] } {
  if (channel.keyStates.length !== channel.sealedKeys.length) return { sealedKeys: [...channel.sealedKeys], keyIds: [] };
  const sealedKeys: string[] = [];
  const keyIds: string[] = [];
  channel.sealedKeys.forEach((sealed, index) => {
    const state = channel.keyStates[index];
    if (!state?.enabled) return;
    sealedKeys.push(sealed);
    keyIds.push(state.id);
  });
  return { sealedKeys, keyIds };
}

export async function compileSnapshot(em: EntityManager, version: number): Promise<Snapshot> {
  const channels = await em.find(Channel, { status: ChannelStatus.ENABLED }, { orderBy: { priority: 'desc', createdAt: 'asc', id: 'asc' } });
  const prices = await em.find(ModelPrice, {}, { orderBy: { model: 'asc' } });
  const gateway = await loadGatewaySettings(em);
  const governanceRules = await em.find(GovernanceRuleEntity, { enabled: true }, { orderBy: { order: 'asc', createdAt: 'asc' } });
  const snapshotChannels: SnapshotInput['channels'] = {};
  const routes: Snapshot['routes'] = {};
  for (const channel of channels) {
    const type = channel.type;
    const keys = servingKeys(channel);
    // A channel without usable keys or with an unknown type cannot serve; leave it out rather than fail the whole compile.
    if (!isProviderId(type) || keys.sealedKeys.length === 0) continue;
    snapshotChannels[channel.id] = {
      id: channel.id,
      name: channel.name,
      type,
      baseUrl: channel.baseUrl,
      sealedKeys: keys.sealedKeys,
      keyIds: keys.keyIds,
      keySelection: channel.keySelection,
      models: [...channel.models],
      modelMapping: { ...channel.modelMapping },
      parameterOverrides: { ...channel.parameterOverrides },
      headerOverrides: { ...channel.headerOverrides },
      statusCodeMapping: { ...channel.statusCodeMapping },
      limits: { ...channel.limits },
      tags: [...channel.tags],
      priority: channel.priority,
      weight: channel.weight,
      groups: [...channel.groups],
    };
    for (const group of channel.groups) {
      const byModel = (routes[group] ??= {});
      for (const model of channel.models) {
        const tiers = (byModel[model] ??= []);
        let tier = tiers.find((candidate) => candidate.priority === channel.priority);
        if (!tier) {
          tier = { priority: channel.priority, channels: [] };
          tiers.push(tier);
          tiers.sort((a, b) => b.priority - a.priority);
        }
        tier.channels.push({ channelId: channel.id, weight: channel.weight });
      }
    }
  }
  const snapshotPrices: Snapshot['prices'] = {};
  for (const price of prices) {
    snapshotPrices[price.model] = {
      inputPerMillion: price.inputPerMillion,
      outputPerMillion: price.outputPerMillion,
      cacheReadPerMillion: price.cacheReadPerMillion,
      cacheWritePerMillion: price.cacheWritePerMillion,
      perCall: price.perCall,
      defaultMaxOutputTokens: price.defaultMaxOutputTokens,
    };
  }
  // Validate before anything reaches Redis: a bad snapshot must never replace a good one.
  return snapshotSchema.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    version,
    compiledAt: new Date().toISOString(),
    channels: snapshotChannels,
    routes,
    prices: snapshotPrices,
    groupMultipliers: gateway.groupMultipliers,
    settings: gateway.settings,
    governanceRules: governanceRules.map(compileGovernanceRule),
  });
}
