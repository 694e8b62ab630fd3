// One billed request, written by the usage worker from a usage event (unique per request id).
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum UsageStatus {
  SUCCESS = 'success',
  ERROR = 'error',
  CLIENT_ABORTED = 'client_aborted',
}
registerEnumType(UsageStatus, { name: 'UsageStatus' });

@ObjectType({ description: 'One upstream try of a request (failed tries cost nothing).' })
export class UsageAttempt {
  @Field(() => ID)
  channelId!: string;

  @Field(() => String, { nullable: true, description: 'Which key of the channel (an id, never the key).' })
  keyId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Upstream HTTP status; null for a connect error or timeout.' })
  status!: number | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => Int)
  durationMs!: number;
}

@ObjectType({ description: 'How the cost splits, in credits, before the group multiplier.' })
export class CostBreakdown {
  @Field(() => SafeIntResolver)
  input!: number;

  @Field(() => SafeIntResolver)
  output!: number;

  @Field(() => SafeIntResolver)
  cacheRead!: number;

  @Field(() => SafeIntResolver)
  cacheWrite!: number;

  @Field(() => SafeIntResolver)
  perCall!: number;
}

@ObjectType()
@Entity({ tableName: 'usage_logs' })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['userId', 'createdAt'] })
@Index({ properties: ['day', 'model'] })
export class UsageLog {
  [OptionalProps]?: 'id' | 'channelId' | 'upstreamModel' | 'stream' | 'promptTokens' | 'completionTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'estimated' | 'cost' | 'reserved' | 'snapshotVersion' | 'durationMs' | 'firstByteMs' | 'clientIp' | 'errorCode' | 'createdAt' | 'billedAt' | 'attempts' | 'costBreakdown' | 'tags' | 'day';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 128, unique: true })
  requestId!: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  userId!: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 64 })
  tokenId!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  channelId: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  model!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  upstreamModel: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  endpoint!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  stream: boolean = false;

  @Field(() => UsageStatus)
  @Property({ type: 'string', length: 16 })
  status!: UsageStatus;

  @Field(() => Int)
  @Property({ type: 'integer' })
  httpStatus!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  promptTokens: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  completionTokens: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  cacheReadTokens: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  cacheWriteTokens: number = 0;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  estimated: boolean = false;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  cost: number = 0;

  @Field(() => SafeIntResolver)
  @Property({ type: new BigIntType('number') })
  reserved: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  snapshotVersion: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  durationMs: number = 0;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  firstByteMs: number | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  clientIp: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  errorCode: string | null = null;

  @Field(() => [UsageAttempt], { description: 'Every upstream try, in order.' })
  @Property({ type: 'json' })
  attempts: UsageAttempt[] = [];

  @Field(() => CostBreakdown, { nullable: true })
  @Property({ type: 'json', nullable: true })
  costBreakdown: CostBreakdown | null = null;

  @Field(() => [String], { description: 'Tags set by governance rules.' })
  @Property({ type: 'json' })
  tags: string[] = [];

  /** UTC day of createdAt (YYYY-MM-DD), so daily charts group on a plain indexed column on every database. */
  @Property({ type: 'string', length: 10 })
  day: string = new Date().toISOString().slice(0, 10);

  /** When the request started (the event's startedAt); lists sort on it, newest first. */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  billedAt: Date = new Date();
}
