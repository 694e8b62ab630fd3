import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ChannelStatus } from './channel.entity';

@InputType()
export class CreateChannelInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  type!: string;

  @Field(() => String)
  baseUrl!: string;

  @Field(() => String, { description: 'One or more upstream keys separated by newlines or commas.' })
  keys!: string;

  @Field(() => [String])
  models!: string[];

  @Field(() => GraphQLJSONObject, { nullable: true })
  modelMapping?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true, defaultValue: ['default'] })
  groups?: string[] | null;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  priority?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  weight?: number | null;
}

@InputType()
export class UpdateChannelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Replaces all keys when given.' })
  keys?: string | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  modelMapping?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true })
  groups?: string[] | null;

  @Field(() => Int, { nullable: true })
  priority?: number | null;

  @Field(() => Int, { nullable: true })
  weight?: number | null;

  @Field(() => ChannelStatus, { nullable: true })
  status?: ChannelStatus | null;
}

@InputType()
export class DeleteChannelInput {
  @Field(() => ID)
  id!: string;
}
