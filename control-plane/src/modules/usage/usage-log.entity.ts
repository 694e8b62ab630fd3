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

@ObjectType()
@Entity({ tableName: 'usage_logs' })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['userId', 'createdAt'] })
export class UsageLog {
  [OptionalProps]?: 'id' | 'channelId' | 'upstreamModel' | 'stream' | 'promptTokens' | 'completionTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'estimated' | 'cost' | 'reserved' | 'snapshotVersion' | 'durationMs' | 'firstByteMs' | 'clientIp' | 'errorCode' | 'createdAt' | 'billedAt';

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

  /** When the request started (the event's startedAt); lists sort on it, newest first. */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  billedAt: Date = new Date();
}
