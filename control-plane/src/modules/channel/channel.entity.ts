// An upstream provider account. Keys are sealed (AES-256-GCM under CRYPTO_SECRET) at rest and never returned.
import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ChannelStatus {
  ENABLED = 'enabled',
  DISABLED = 'disabled',
}
registerEnumType(ChannelStatus, { name: 'ChannelStatus' });

@ObjectType()
@Entity({ tableName: 'channels' })
export class Channel {
  [OptionalProps]?: 'id' | 'sealedKeys' | 'keyHintValue' | 'models' | 'modelMapping' | 'groups' | 'priority' | 'weight' | 'status' | 'keyCount' | 'keyHint' | 'createdAt' | 'updatedAt';

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

  @Field(() => Int)
  @Property({ type: 'integer' })
  priority: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  weight: number = 1;

  @Field(() => ChannelStatus)
  @Property({ type: 'string', length: 16 })
  status: ChannelStatus = ChannelStatus.ENABLED;

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
