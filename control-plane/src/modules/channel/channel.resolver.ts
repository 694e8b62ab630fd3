import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { Channel } from './channel.entity';
import {
  CreateChannelInput,
  DeleteChannelInput,
  SetChannelKeyStatusInput,
  SetChannelsStatusInput,
  TestChannelInput,
  UpdateChannelInput,
} from './channel.input';
import {
  ChannelHealth,
  ChannelKey,
  channelHealthOf,
  ChannelPayload,
  DeletePayload,
  SetChannelsStatusPayload,
  TestChannelPayload,
} from './channel.types';

export { ChannelPayload, DeletePayload } from './channel.types';

export const ChannelConnection = connectionType('Channel', Channel);

// One Redis round trip per request for the auto-disabled keys of every channel on a page (no N+1).
const autoDisabledLoaders = new WeakMap<GraphqlContext, DataLoader<string, Set<string>>>();
function autoDisabledLoader(context: GraphqlContext): DataLoader<string, Set<string>> {
  let loader = autoDisabledLoaders.get(context);
  if (!loader) {
    loader = new DataLoader<string, Set<string>>((ids) => context.services.channels.autoDisabledKeyIds(ids));
    autoDisabledLoaders.set(context, loader);
  }
  return loader;
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

  @FieldResolver(() => [ChannelKey], { description: 'Every key of the channel: id, hint and status; never the key.' })
  async keys(@Root() channel: Channel, @Ctx() context: GraphqlContext): Promise<ChannelKey[]> {
    return context.services.channels.keysOf(channel, await autoDisabledLoader(context).load(channel.id));
  }

  @FieldResolver(() => ChannelHealth)
  health(@Root() channel: Channel): ChannelHealth {
    return channelHealthOf(channel);
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

  @Mutation(() => ChannelPayload, { description: 'Enable or disable one key of a channel.' })
  async setChannelKeyStatus(@Ctx() context: GraphqlContext, @Arg('input', () => SetChannelKeyStatusInput) input: SetChannelKeyStatusInput): Promise<ChannelPayload> {
    return { channel: await context.services.channels.setKeyStatus(context.em, context, input) };
  }

  @Mutation(() => SetChannelsStatusPayload, { description: 'Enable or disable many channels at once, by ids or by tag.' })
  async setChannelsStatus(@Ctx() context: GraphqlContext, @Arg('input', () => SetChannelsStatusInput) input: SetChannelsStatusInput): Promise<SetChannelsStatusPayload> {
    const channels = await context.services.channels.setChannelsStatus(context.em, context, input);
    return { channels, count: channels.length };
  }

  @Mutation(() => TestChannelPayload, { description: 'One cheap real upstream call (1-token chat) with one of the channel\'s keys.' })
  testChannel(@Ctx() context: GraphqlContext, @Arg('input', () => TestChannelInput) input: TestChannelInput): Promise<TestChannelPayload> {
    return context.services.channels.testChannel(context.em, context, input);
  }
}
