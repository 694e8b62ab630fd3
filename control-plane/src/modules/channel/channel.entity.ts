// An upstream provider account. Keys are sealed (AES-256-GCM under CRYPTO_SECRET) at rest and never returned.
import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Limits } from '@nebulagate/schema';
import { LimitsType } from '../setting/setting.types';

export enum ChannelStatus {
  ENABLED = 'enabled',
  DISABLED = 'disabled',
}
registerEnumType(ChannelStatus, { name: 'ChannelStatus' });

export enum ChannelKeySelection {
  RANDOM = 'random',
  ROUND_ROBIN = 'round-robin',
}
registerEnumType(ChannelKeySelection, { name: 'ChannelKeySelection', description: 'How the data plane picks one of a channel\'s keys.' });

export enum ChannelHealthStatus {
  UNKNOWN = 'unknown',
  HEALTHY = 'healthy',
  UNHEALTHY = 'unhealthy',
}
registerEnumType(ChannelHealthStatus, { name: 'ChannelHealthStatus' });

/** Per-key state, index-aligned with sealedKeys. `id` is channelKeyId(key): names the key without revealing it. */
export interface ChannelKeyState {
  id: string;
  hint: string;
  enabled: boolean;
}

/** One health probe, newest last in Channel.healthHistory. */
export interface ChannelHealthCheckRecord {
  /** Epoch milliseconds. */
  at: number;
  outcome: 'up' | 'down' | 'inconclusive';
  httpStatus: number | null;
  latencyMs: number;
  message: string | null;
}

/** Upstream account balance in the provider's currency, where the provider reports it. */
export interface ChannelBalanceValue {
  amount: number;
  currency: string;
  /** Epoch milliseconds. */
  checkedAt: number;
}

/** The channel's caps: the snapshot's Limits. */
export type ChannelLimitsValue = Limits;

@Entity({ tableName: 'channels' })
@ObjectType()
export class Channel {
  [OptionalProps]?:
    | 'id' | 'sealedKeys' | 'keyStates' | 'keyHintValue' | 'models' | 'modelMapping' | 'groups' | 'tags' | 'priority' | 'weight' | 'status'
    | 'keySelection' | 'parameterOverrides' | 'headerOverrides' | 'statusCodeMapping' | 'limits' | 'autoDisabled' | 'healthStatus'
    | 'lastCheckedAt' | 'lastLatencyMs' | 'consecutiveFailures' | 'consecutiveSuccesses' | 'healthHistory' | 'upstreamBalance' | 'healthClaimedAt'
    | 'keyCount' | 'keyHint' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  name!: string;

  @Field(() => String, { description: 'Provider id, e.g. openai, anthropic, gemini, deepseek.' })
  @Property({ type: 'string', length: 32 })
  type!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 2048 })
  baseUrl!: string;

  /** Each entry is sealSecret(key, CRYPTO_SECRET). */
  @Property({ type: 'json', hidden: true })
  sealedKeys: string[] = [];

  /** Index-aligned with sealedKeys; exposed through the `keys` field (ids, hints and status only). */
  @Property({ type: 'json' })
  keyStates: ChannelKeyState[] = [];

  @Property({ type: 'string', length: 32 })
  keyHintValue: string = '';

  @Field(() => [String])
  @Property({ type: 'json' })
  models: string[] = [];

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json' })
  modelMapping: Record<string, string> = {};

  @Field(() => [String])
  @Property({ type: 'json' })
  groups: string[] = ['default'];

  @Field(() => [String], { description: 'Free labels for batch enable / disable and filtering.' })
  @Property({ type: 'json' })
  tags: string[] = [];

  @Field(() => Int)
  @Property({ type: 'integer' })
  priority: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  weight: number = 1;

  @Field(() => ChannelStatus)
  @Property({ type: 'string', length: 16 })
  status: ChannelStatus = ChannelStatus.ENABLED;

  @Field(() => ChannelKeySelection)
  @Property({ type: 'string', length: 16 })
  keySelection: ChannelKeySelection = ChannelKeySelection.RANDOM;

  @Field(() => GraphQLJSONObject, { description: 'Top-level JSON fields set in the upstream body (null removes the field).' })
  @Property({ type: 'json' })
  parameterOverrides: Record<string, unknown> = {};

  @Field(() => GraphQLJSONObject, { description: 'Extra upstream request headers (never auth headers).' })
  @Property({ type: 'json' })
  headerOverrides: Record<string, string> = {};

  @Field(() => GraphQLJSONObject, { description: 'Upstream status -> status it is treated as, e.g. {"400": 500}.' })
  @Property({ type: 'json' })
  statusCodeMapping: Record<string, number> = {};

  @Field(() => LimitsType, { description: 'Caps protecting the upstream account, shared by every data-plane node.' })
  @Property({ type: 'json' })
  limits: ChannelLimitsValue = { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null };

  /** True only while the health worker holds the channel disabled; an admin's status change clears it. */
  @Property({ type: 'boolean' })
  autoDisabled: boolean = false;

  @Property({ type: 'string', length: 16 })
  healthStatus: ChannelHealthStatus = ChannelHealthStatus.UNKNOWN;

  @Property({ type: 'datetime', nullable: true })
  lastCheckedAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  lastLatencyMs: number | null = null;

  @Property({ type: 'integer' })
  consecutiveFailures: number = 0;

  @Property({ type: 'integer' })
  consecutiveSuccesses: number = 0;

  /** The most recent probes, oldest first (bounded by the health worker). */
  @Property({ type: 'json' })
  healthHistory: ChannelHealthCheckRecord[] = [];

  @Property({ type: 'json', nullable: true })
  upstreamBalance: ChannelBalanceValue | null = null;

  /** Start of the schedule slot a health run last claimed: a second run in the same slot skips the channel. */
  @Property({ type: 'datetime', nullable: true, hidden: true })
  healthClaimedAt: Date | null = null;

  @Field(() => Int, { description: 'How many upstream keys the channel holds; keys themselves are never returned.' })
  get keyCount(): number {
    return this.sealedKeys.length;
  }

  @Field(() => String, { description: 'Masked hint of the first key, e.g. sk-…9f3a.' })
  get keyHint(): string {
    return this.keyHintValue;
  }

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
