import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ChannelKeySelection, ChannelStatus } from './channel.entity';
import { LimitsInput } from '../setting/setting.types';

@InputType()
export class CreateChannelInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  type!: string;

  @Field(() => String)
  baseUrl!: string;

  // A single string is accepted too (GraphQL coerces it to a one-element list); each entry may hold several keys.
  @Field(() => [String], { description: 'Upstream keys: a list, or one string with keys separated by newlines or commas.' })
  keys!: string[];

  @Field(() => [String])
  models!: string[];

  @Field(() => GraphQLJSONObject, { nullable: true })
  modelMapping?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true, defaultValue: ['default'] })
  groups?: string[] | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  priority?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  weight?: number | null;

  @Field(() => ChannelKeySelection, { nullable: true })
  keySelection?: ChannelKeySelection | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  parameterOverrides?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  headerOverrides?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  statusCodeMapping?: Record<string, unknown> | null;

  @Field(() => LimitsInput, { nullable: true })
  limits?: LimitsInput | null;
}

@InputType()
export class UpdateChannelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  type?: string | null;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces all keys when given; keys already on the channel keep their status.' })
  keys?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Keys appended to the channel.' })
  addKeys?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Ids (ChannelKey.id) of keys to remove.' })
  removeKeyIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  modelMapping?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true })
  groups?: string[] | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Int, { nullable: true })
  priority?: number | null;

  @Field(() => Int, { nullable: true })
  weight?: number | null;

  @Field(() => ChannelStatus, { nullable: true })
  status?: ChannelStatus | null;

  @Field(() => ChannelKeySelection, { nullable: true })
  keySelection?: ChannelKeySelection | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  parameterOverrides?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  headerOverrides?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  statusCodeMapping?: Record<string, unknown> | null;

  @Field(() => LimitsInput, { nullable: true })
  limits?: LimitsInput | null;
}

@InputType()
export class DeleteChannelInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class SetChannelKeyStatusInput {
  @Field(() => ID)
  channelId!: string;

  @Field(() => ID, { description: 'ChannelKey.id' })
  keyId!: string;

  @Field(() => Boolean, { description: 'true also clears an automatic disable by the data plane.' })
  enabled!: boolean;
}

@InputType()
export class SetChannelsStatusInput {
  @Field(() => [ID], { nullable: true, description: 'Channels to change; give ids or tag, not both.' })
  ids?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Every channel carrying this tag.' })
  tag?: string | null;

  @Field(() => ChannelStatus)
  status!: ChannelStatus;
}

@InputType()
export class TestChannelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Model to ask for (before mapping); default: the channel\'s first model.' })
  model?: string | null;

  @Field(() => ID, { nullable: true, description: 'Key to test (ChannelKey.id); default: the first usable key.' })
  keyId?: string | null;
}
