// Channels: validated, keys sealed one by one at rest, every change audited and in Redis (snapshot) before returning.
import type { EntityManager } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { isProviderId, openSecret, PROVIDER_IDS, redisKeys, sealSecret } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { Channel, ChannelKeySelection, ChannelStatus, type ChannelKeyState } from './channel.entity';
import type { CreateChannelInput, SetChannelKeyStatusInput, SetChannelsStatusInput, TestChannelInput, UpdateChannelInput } from './channel.input';
import { keyStatesAligned, keyStatesFor, maskKey, splitKeys } from './channel-keys';
import { buildProbeRequest, runProbe } from './channel-probe';
import { cleanHeaderOverrides, cleanLimits, cleanModelMapping, cleanNames, cleanParameterOverrides, cleanStatusCodeMapping } from './channel-settings';
import { ChannelKeyStatus, type ChannelKey, type TestChannelPayload } from './channel.types';
import { createGuardedFetcher } from './guarded-fetcher';
import { checkUpstreamUrl } from './upstream-url';


const MAX_KEYS = 1000;
const MAX_BATCH = 1000;
const MAX_TAGS = 32;
const TEST_TIMEOUT_MS = 20_000;

/** What an audit row may show of a channel: no keys, no sealed keys, no header values (they may carry tokens). */
function channelSummary(channel: Channel): Record<string, unknown> {
  return {
    id: channel.id, name: channel.name, type: channel.type, baseUrl: channel.baseUrl, keyCount: channel.keyCount, keyHint: channel.keyHint,
    keyStates: channel.keyStates.map((state) => ({ id: state.id, hint: state.hint, enabled: state.enabled })),
    models: channel.models, modelMapping: channel.modelMapping, groups: channel.groups, tags: channel.tags, priority: channel.priority,
    weight: channel.weight, status: channel.status, keySelection: channel.keySelection, parameterOverrides: channel.parameterOverrides,
    headerOverrideNames: Object.keys(channel.headerOverrides), statusCodeMapping: channel.statusCodeMapping, limits: channel.limits,
    autoDisabled: channel.autoDisabled,
  };
}

function checkName(raw: string): string {
  const name = raw.trim();
  assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
  return name;
}

function checkType(type: string): string {
  assertThat(isProviderId(type), 'BAD_USER_INPUT', `type must be one of: ${PROVIDER_IDS.join(', ')}`);
  return type;
}

function checkGroups(groups: readonly string[]): string[] {
  const cleaned = cleanNames(groups, 'groups');
  assertThat(cleaned.length >= 1, 'BAD_USER_INPUT', 'groups must name at least one group');
  return cleaned;
}

function checkTags(tags: readonly string[]): string[] {
  const cleaned = cleanNames(tags, 'tags');
  assertThat(cleaned.length <= MAX_TAGS, 'BAD_USER_INPUT', `at most ${MAX_TAGS} tags per channel`);
  return cleaned;
}

function checkNumbers(priority: number | null | undefined, weight: number | null | undefined): void {
  if (priority !== null && priority !== undefined) assertThat(Math.abs(priority) <= 1_000_000, 'BAD_USER_INPUT', 'priority is out of range');
  if (weight !== null && weight !== undefined) assertThat(weight >= 0 && weight <= 1_000_000, 'BAD_USER_INPUT', 'weight must be between 0 and 1000000');
}

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

export class ChannelService {
  constructor(
    private readonly publisher: RedisPublisher,
    private readonly cryptoSecret: string,
    private readonly allowPrivateUpstreams: boolean,
    private readonly redis: Redis,
  ) {}

  private async validBaseUrl(raw: string): Promise<string> {
    const check = await checkUpstreamUrl(raw, this.allowPrivateUpstreams);
    if (!check.ok) throw appError('BAD_USER_INPUT', check.reason);
    return check.url;
  }

  private openKeys(channel: Channel): string[] {
    return channel.sealedKeys.map((sealed) => openSecret(sealed, this.cryptoSecret));
  }

  /** Per-key state; channels saved before it existed get theirs computed (all enabled). */
  keyStatesOf(channel: Channel): ChannelKeyState[] {
    if (keyStatesAligned(channel.sealedKeys, channel.keyStates)) return channel.keyStates;
    return keyStatesFor(this.openKeys(channel), []);
  }

  /** Seals each key separately; keys that stay keep their enabled flag. Returns the ids of keys that went away. */
  private setKeys(channel: Channel, plainKeys: string[]): string[] {
    assertThat(plainKeys.length >= 1, 'BAD_USER_INPUT', 'keys must hold at least one key');
    assertThat(plainKeys.length <= MAX_KEYS, 'BAD_USER_INPUT', `at most ${MAX_KEYS} keys per channel`);
    const previous = channel.sealedKeys.length > 0 ? this.keyStatesOf(channel) : [];
    channel.keyStates = keyStatesFor(plainKeys, previous);
    channel.sealedKeys = plainKeys.map((key) => sealSecret(key, this.cryptoSecret));
    channel.keyHintValue = maskKey(plainKeys[0] ?? '');
    const kept = new Set(channel.keyStates.map((state) => state.id));
    return previous.filter((state) => !kept.has(state.id)).map((state) => state.id);
  }

  private async forgetAutoDisabledKeys(channelId: string, keyIds: string[]): Promise<void> {
    if (keyIds.length > 0) await this.redis.srem(redisKeys.disabledKeys(channelId), ...keyIds);
  }

  /** Admin status change: the health worker's hold ends and its streaks start over. */
  private applyAdminStatus(channel: Channel, status: ChannelStatus): void {
    channel.status = status;
    channel.autoDisabled = false;
    channel.consecutiveFailures = 0;
    channel.consecutiveSuccesses = 0;
  }

  private async findChannel(em: EntityManager, id: string): Promise<Channel> {
    const channel = await em.findOne(Channel, { id });
    if (!channel) throw appError('NOT_FOUND', 'channel not found');
    return channel;
  }

  async createChannel(em: EntityManager, actor: Actor, input: CreateChannelInput): Promise<Channel> {
    checkNumbers(input.priority, input.weight);
    const channel = em.create(Channel, {
      name: checkName(input.name),
      type: checkType(input.type),
      baseUrl: await this.validBaseUrl(input.baseUrl),
      models: cleanNames(input.models, 'models'),
      modelMapping: cleanModelMapping(input.modelMapping ?? {}),
      groups: checkGroups(input.groups ?? ['default']),
      tags: checkTags(input.tags ?? []),
      priority: input.priority ?? 0,
      weight: input.weight ?? 1,
      status: ChannelStatus.ENABLED,
      keySelection: input.keySelection ?? ChannelKeySelection.RANDOM,
      parameterOverrides: cleanParameterOverrides(input.parameterOverrides ?? {}),
      headerOverrides: cleanHeaderOverrides(input.headerOverrides ?? {}),
      statusCodeMapping: cleanStatusCodeMapping(input.statusCodeMapping ?? {}),
      limits: cleanLimits(input.limits ?? {}),
    });
    this.setKeys(channel, splitKeys(input.keys));
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.create', target: channel.id, after: channelSummary(channel), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return channel;
  }

  async updateChannel(em: EntityManager, actor: Actor, input: UpdateChannelInput): Promise<Channel> {
    const channel = await this.findChannel(em, input.id);
    const before = channelSummary(channel);
    checkNumbers(input.priority, input.weight);
    if (present(input.name)) channel.name = checkName(input.name);
    if (present(input.type)) channel.type = checkType(input.type);
    if (present(input.baseUrl)) channel.baseUrl = await this.validBaseUrl(input.baseUrl);
    let removedKeyIds: string[] = [];
    if (present(input.keys) || present(input.addKeys) || present(input.removeKeyIds)) {
      let plainKeys = present(input.keys) ? splitKeys(input.keys) : this.openKeys(channel);
      if (present(input.addKeys)) plainKeys = splitKeys([...plainKeys, ...splitKeys(input.addKeys)]);
      if (present(input.removeKeyIds)) {
        const known = new Set(this.keyStatesOf(channel).map((state) => state.id));
        assertThat(input.removeKeyIds.every((id) => known.has(id)), 'NOT_FOUND', 'removeKeyIds names a key the channel does not have');
        const removing = new Set(input.removeKeyIds);
        const states = keyStatesFor(plainKeys, []);
        plainKeys = plainKeys.filter((_key, index) => !removing.has(states[index]?.id ?? ''));
      }
      removedKeyIds = this.setKeys(channel, plainKeys);
    }
    if (present(input.models)) channel.models = cleanNames(input.models, 'models');
    if (present(input.modelMapping)) channel.modelMapping = cleanModelMapping(input.modelMapping);
    if (present(input.groups)) channel.groups = checkGroups(input.groups);
    if (present(input.tags)) channel.tags = checkTags(input.tags);
    if (present(input.priority)) channel.priority = input.priority;
    if (present(input.weight)) channel.weight = input.weight;
    if (present(input.status)) this.applyAdminStatus(channel, input.status);
    if (present(input.keySelection)) channel.keySelection = input.keySelection;
    if (present(input.parameterOverrides)) channel.parameterOverrides = cleanParameterOverrides(input.parameterOverrides);
    if (present(input.headerOverrides)) channel.headerOverrides = cleanHeaderOverrides(input.headerOverrides);
    if (present(input.statusCodeMapping)) channel.statusCodeMapping = cleanStatusCodeMapping(input.statusCodeMapping);
    if (present(input.limits)) channel.limits = cleanLimits(input.limits);
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.update', target: channel.id, before, after: channelSummary(channel), ip: actor.ip });
    await em.flush();
    await this.forgetAutoDisabledKeys(channel.id, removedKeyIds);
    await this.publisher.scheduleSnapshot();
    return channel;
  }

  async deleteChannel(em: EntityManager, actor: Actor, id: string): Promise<string> {
    const channel = await this.findChannel(em, id);
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.delete', target: channel.id, before: channelSummary(channel), ip: actor.ip });
    em.remove(channel);
    await em.flush();
    await this.redis.del(redisKeys.disabledKeys(id));
    await this.publisher.scheduleSnapshot();
    return id;
  }

  /** Admin enable / disable of one key; enabling also lifts a data-plane auto-disable of that key. */
  async setKeyStatus(em: EntityManager, actor: Actor, input: SetChannelKeyStatusInput): Promise<Channel> {
    const channel = await this.findChannel(em, input.channelId);
    const before = channelSummary(channel);
    const states = this.keyStatesOf(channel).map((state) => ({ ...state }));
    const state = states.find((candidate) => candidate.id === input.keyId);
    if (!state) throw appError('NOT_FOUND', 'the channel has no key with this id');
    state.enabled = input.enabled;
    channel.keyStates = states;
    recordAudit(em, {
      actorId: actor.user?.id ?? null, action: input.enabled ? 'channel.key.enable' : 'channel.key.disable', target: `${channel.id}/${state.id}`,
      before, after: channelSummary(channel), ip: actor.ip,
    });
    await em.flush();
    if (input.enabled) await this.redis.srem(redisKeys.disabledKeys(channel.id), state.id);
    await this.publisher.scheduleSnapshot();
    return channel;
  }

  async setChannelsStatus(em: EntityManager, actor: Actor, input: SetChannelsStatusInput): Promise<Channel[]> {
    const byIds = present(input.ids);
    const byTag = present(input.tag);
    assertThat(byIds !== byTag, 'BAD_USER_INPUT', 'give either ids or tag');
    let channels: Channel[];
    if (byIds) {
      const ids = [...new Set(input.ids ?? [])];
      assertThat(ids.length >= 1 && ids.length <= MAX_BATCH, 'BAD_USER_INPUT', `ids must name 1-${MAX_BATCH} channels`);
      channels = await em.find(Channel, { id: { $in: ids } });
      assertThat(channels.length === ids.length, 'NOT_FOUND', `${ids.length - channels.length} of the channels were not found`);
    } else {
      const tag = (input.tag ?? '').trim();
      assertThat(tag.length >= 1 && tag.length <= 255, 'BAD_USER_INPUT', 'tag must be a non-empty name');
      // JSON array membership differs between SQLite and PostgreSQL; tags are few, so filter in memory.
      channels = (await em.find(Channel, {}, { orderBy: { createdAt: 'asc', id: 'asc' } })).filter((channel) => channel.tags.includes(tag));
    }
    for (const channel of channels) {
      const before = channelSummary(channel);
      this.applyAdminStatus(channel, input.status);
      recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.batch-status', target: channel.id, before, after: channelSummary(channel), ip: actor.ip });
    }
    await em.flush();
    if (channels.length > 0) await this.publisher.scheduleSnapshot();
    return channels;
  }

  /** One cheap real upstream call (a 1-token chat) through the guarded fetcher; the answer is scrubbed of keys. */
  async testChannel(em: EntityManager, actor: Actor, input: TestChannelInput): Promise<TestChannelPayload> {
    const channel = await this.findChannel(em, input.id);
    const model = (input.model ?? channel.models[0] ?? '').trim();
    assertThat(model.length >= 1 && model.length <= 255, 'BAD_USER_INPUT', 'model is required (the channel lists none)');
    assertThat(channel.sealedKeys.length > 0, 'BAD_USER_INPUT', 'the channel has no keys');
    const states = this.keyStatesOf(channel);
    let index: number;
    if (present(input.keyId)) {
      index = states.findIndex((state) => state.id === input.keyId);
      assertThat(index >= 0, 'NOT_FOUND', 'the channel has no key with this id');
    } else {
      const autoDisabled = new Set(await this.redis.smembers(redisKeys.disabledKeys(channel.id)));
      index = states.findIndex((state) => state.enabled && !autoDisabled.has(state.id));
      if (index < 0) index = Math.max(0, states.findIndex((state) => state.enabled));
    }
    const apiKey = openSecret(channel.sealedKeys[index] ?? '', this.cryptoSecret);
    const request = buildProbeRequest(
      { type: channel.type, baseUrl: channel.baseUrl, apiKey, headerOverrides: channel.headerOverrides, parameterOverrides: channel.parameterOverrides },
      'chat',
      channel.modelMapping[model] ?? model,
    );
    const fetcher = createGuardedFetcher({ allowPrivateUpstreams: this.allowPrivateUpstreams, timeoutMs: TEST_TIMEOUT_MS });
    let result;
    try {
      result = await runProbe(fetcher, request, [apiKey]);
    } finally {
      await fetcher.close();
    }
    const payload: TestChannelPayload = { ok: result.ok, status: result.httpStatus, latencyMs: result.latencyMs, message: result.message, model };
    recordAudit(em, {
      actorId: actor.user?.id ?? null, action: 'channel.test', target: channel.id,
      after: { model, keyId: states[index]?.id ?? null, ok: payload.ok, status: payload.status, latencyMs: payload.latencyMs }, ip: actor.ip,
    });
    await em.flush();
    return payload;
  }

  /** Keys a data plane disabled (upstream: invalid key / no credit), per channel, in one round trip. */
  async autoDisabledKeyIds(channelIds: readonly string[]): Promise<Set<string>[]> {
    if (channelIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of channelIds) pipeline.smembers(redisKeys.disabledKeys(id));
    const results = (await pipeline.exec()) ?? [];
    return channelIds.map((_id, index) => {
      const [error, members] = results[index] ?? [null, []];
      if (error) throw error;
      return new Set(Array.isArray(members) ? members.map(String) : []);
    });
  }

  keysOf(channel: Channel, autoDisabled: Set<string>): ChannelKey[] {
    return this.keyStatesOf(channel).map((state) => ({
      id: state.id,
      hint: state.hint,
      status: !state.enabled ? ChannelKeyStatus.DISABLED : autoDisabled.has(state.id) ? ChannelKeyStatus.AUTO_DISABLED : ChannelKeyStatus.ENABLED,
    }));
  }

  listChannels(em: EntityManager, first: number, after: string | null | undefined): Promise<Connection<Channel>> {
    return paginate(em, Channel, {}, first, after);
  }
}
