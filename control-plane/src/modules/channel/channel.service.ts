// Channels: validated, keys sealed at rest, every change followed by a debounced snapshot compile.
import type { EntityManager } from '@mikro-orm/core';
import { isProviderId, PROVIDER_IDS, sealSecret } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { Channel, ChannelStatus } from './channel.entity';
import type { CreateChannelInput, UpdateChannelInput } from './channel.input';
import { checkUpstreamUrl } from './upstream-url';

const MAX_KEYS = 1000;

export function splitKeys(keys: string): string[] {
  return [...new Set(keys.split(/[\n,\r]+/).map((key) => key.trim()).filter((key) => key.length > 0))];
}

/** e.g. sk-…9f3a: enough to recognise a key, useless to an attacker. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '…';
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

function cleanNames(values: string[], field: string): string[] {
  const cleaned = [...new Set(values.map((value) => value.trim()))];
  assertThat(cleaned.every((value) => value.length > 0 && value.length <= 255), 'BAD_USER_INPUT', `${field} must be non-empty names`);
  return cleaned;
}

function cleanMapping(mapping: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [from, to] of Object.entries(mapping)) {
    assertThat(typeof to === 'string' && to.trim().length > 0 && from.trim().length > 0, 'BAD_USER_INPUT', 'modelMapping must map model names to model names');
    result[from.trim()] = to.trim();
  }
  return result;
}

function channelSummary(channel: Channel): Record<string, unknown> {
  return {
    id: channel.id, name: channel.name, type: channel.type, baseUrl: channel.baseUrl, keyCount: channel.keyCount, keyHint: channel.keyHint,
    models: channel.models, modelMapping: channel.modelMapping, groups: channel.groups, priority: channel.priority, weight: channel.weight, status: channel.status,
  };
}

export class ChannelService {
  constructor(
    private readonly publisher: RedisPublisher,
    private readonly cryptoSecret: string,
    private readonly allowPrivateUpstreams: boolean,
  ) {}

  private async validBaseUrl(raw: string): Promise<string> {
    const check = await checkUpstreamUrl(raw, this.allowPrivateUpstreams);
    if (!check.ok) throw appError('BAD_USER_INPUT', check.reason);
    return check.url;
  }

  private sealKeys(channel: Channel, keys: string): void {
    const plainKeys = splitKeys(keys);
    assertThat(plainKeys.length >= 1, 'BAD_USER_INPUT', 'keys must hold at least one key');
    assertThat(plainKeys.length <= MAX_KEYS, 'BAD_USER_INPUT', `at most ${MAX_KEYS} keys per channel`);
    channel.sealedKeys = plainKeys.map((key) => sealSecret(key, this.cryptoSecret));
    channel.keyHintValue = maskKey(plainKeys[0] ?? '');
  }

  private checkNumbers(priority: number | null | undefined, weight: number | null | undefined): void {
    if (priority !== null && priority !== undefined) assertThat(Math.abs(priority) <= 1_000_000, 'BAD_USER_INPUT', 'priority is out of range');
    if (weight !== null && weight !== undefined) assertThat(weight >= 0 && weight <= 1_000_000, 'BAD_USER_INPUT', 'weight must be between 0 and 1000000');
  }

  async createChannel(em: EntityManager, actor: Actor, input: CreateChannelInput): Promise<Channel> {
    const name = input.name.trim();
    assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
    assertThat(isProviderId(input.type), 'BAD_USER_INPUT', `type must be one of: ${PROVIDER_IDS.join(', ')}`);
    this.checkNumbers(input.priority, input.weight);
    const channel = em.create(Channel, {
      name,
      type: input.type,
      baseUrl: await this.validBaseUrl(input.baseUrl),
      models: cleanNames(input.models, 'models'),
      modelMapping: cleanMapping(input.modelMapping ?? {}),
      groups: cleanNames(input.groups ?? ['default'], 'groups'),
      priority: input.priority ?? 0,
      weight: input.weight ?? 1,
      status: ChannelStatus.ENABLED,
    });
    assertThat(channel.groups.length >= 1, 'BAD_USER_INPUT', 'groups must name at least one group');
    this.sealKeys(channel, input.keys);
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.create', target: channel.id, after: channelSummary(channel), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return channel;
  }

  async updateChannel(em: EntityManager, actor: Actor, input: UpdateChannelInput): Promise<Channel> {
    const channel = await em.findOne(Channel, { id: input.id });
    if (!channel) throw appError('NOT_FOUND', 'channel not found');
    const before = channelSummary(channel);
    this.checkNumbers(input.priority, input.weight);
    if (input.name !== null && input.name !== undefined) {
      const name = input.name.trim();
      assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
      channel.name = name;
    }
    if (input.baseUrl !== null && input.baseUrl !== undefined) channel.baseUrl = await this.validBaseUrl(input.baseUrl);
    if (input.keys !== null && input.keys !== undefined) this.sealKeys(channel, input.keys);
    if (input.models) channel.models = cleanNames(input.models, 'models');
    if (input.modelMapping) channel.modelMapping = cleanMapping(input.modelMapping);
    if (input.groups) {
      channel.groups = cleanNames(input.groups, 'groups');
      assertThat(channel.groups.length >= 1, 'BAD_USER_INPUT', 'groups must name at least one group');
    }
    if (input.priority !== null && input.priority !== undefined) channel.priority = input.priority;
    if (input.weight !== null && input.weight !== undefined) channel.weight = input.weight;
    if (input.status) channel.status = input.status;
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.update', target: channel.id, before, after: channelSummary(channel), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return channel;
  }

  async deleteChannel(em: EntityManager, actor: Actor, id: string): Promise<string> {
    const channel = await em.findOne(Channel, { id });
    if (!channel) throw appError('NOT_FOUND', 'channel not found');
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'channel.delete', target: channel.id, before: channelSummary(channel), ip: actor.ip });
    em.remove(channel);
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return id;
  }

  listChannels(em: EntityManager, first: number, after: string | null | undefined): Promise<Connection<Channel>> {
    return paginate(em, Channel, {}, first, after);
  }
}
