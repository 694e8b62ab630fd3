import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { CreateChannelInput, DeleteChannelInput, UpdateChannelInput } from './channel.input';
import { Channel } from './channel.entity';

export const ChannelConnection = connectionType('Channel', Channel);

@ObjectType()
export class ChannelPayload {
  @Field(() => Channel)
  channel!: Channel;
}

@ObjectType()
export class DeletePayload {
  @Field(() => ID)
  id!: string;
}

@Authorized(ADMIN_ROLES)
@Resolver(() => Channel)
export class ChannelResolver {
  @Query(() => ChannelConnection)
  channels(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return context.services.channels.listChannels(context.em, first, after);
  }

  @Mutation(() => ChannelPayload)
  async createChannel(@Ctx() context: GraphqlContext, @Arg('input', () => CreateChannelInput) input: CreateChannelInput): Promise<ChannelPayload> {
    return { channel: await context.services.channels.createChannel(context.em, context, input) };
  }

  @Mutation(() => ChannelPayload)
  async updateChannel(@Ctx() context: GraphqlContext, @Arg('input', () => UpdateChannelInput) input: UpdateChannelInput): Promise<ChannelPayload> {
    return { channel: await context.services.channels.updateChannel(context.em, context, input) };
  }

  @Mutation(() => DeletePayload)
  async deleteChannel(@Ctx() context: GraphqlContext, @Arg('input', () => DeleteChannelInput) input: DeleteChannelInput): Promise<DeletePayload> {
    return { id: await context.services.channels.deleteChannel(context.em, context, input.id) };
  }
}
