// GraphQL output types around a channel: its keys (ids, hints and status only), its health, and mutation payloads.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel, ChannelHealthStatus } from './channel.entity';

export enum ChannelKeyStatus {
  ENABLED = 'enabled',
  /** Disabled by an admin. */
  DISABLED = 'disabled',
  /** Disabled by the data plane because the upstream rejected the key (invalid / no credit). */
  AUTO_DISABLED = 'auto-disabled',
}
registerEnumType(ChannelKeyStatus, { name: 'ChannelKeyStatus' });

@ObjectType()
export class ChannelKey {
  @Field(() => ID, { description: 'Stable id of the key (first 16 hex of its sha256); the key itself is never returned.' })
  id!: string;

  @Field(() => String, { description: 'e.g. sk-…9f3a' })
  hint!: string;

  @Field(() => ChannelKeyStatus)
  status!: ChannelKeyStatus;
}

@ObjectType()
export class ChannelHealthCheck {
  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: 'up, down or inconclusive (rate limited / key refused: counts neither way).' })
  outcome!: string;

  @Field(() => Int, { nullable: true })
  httpStatus!: number | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

@ObjectType()
export class ChannelBalance {
  @Field(() => Float)
  amount!: number;

  @Field(() => String)
  currency!: string;

  @Field(() => Date)
  checkedAt!: Date;
}

@ObjectType()
export class ChannelHealth {
  @Field(() => ChannelHealthStatus)
  status!: ChannelHealthStatus;

  @Field(() => Boolean, { description: 'The health worker disabled the channel and will re-enable it once it recovers.' })
  autoDisabled!: boolean;

  @Field(() => Date, { nullable: true })
  lastCheckedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;

  @Field(() => Int)
  consecutiveFailures!: number;

  @Field(() => Int)
  consecutiveSuccesses!: number;

  @Field(() => [ChannelHealthCheck], { description: 'Recent probes, oldest first.' })
  history!: ChannelHealthCheck[];

  @Field(() => ChannelBalance, { nullable: true, description: 'Upstream account balance, for providers that report it (DeepSeek, Moonshot).' })
  balance!: ChannelBalance | null;
}

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

@ObjectType()
export class SetChannelsStatusPayload {
  @Field(() => [Channel])
  channels!: Channel[];

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class TestChannelPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: 'Upstream HTTP status; null when no answer arrived.' })
  status!: number | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { description: 'ok, or the upstream error / connection failure (scrubbed of keys).' })
  message!: string;

  @Field(() => String)
  model!: string;
}

export function channelHealthOf(channel: Channel): ChannelHealth {
  return {
    status: channel.healthStatus,
    autoDisabled: channel.autoDisabled,
    lastCheckedAt: channel.lastCheckedAt,
    latencyMs: channel.lastLatencyMs,
    consecutiveFailures: channel.consecutiveFailures,
    consecutiveSuccesses: channel.consecutiveSuccesses,
    balance: channel.upstreamBalance
      ? { amount: channel.upstreamBalance.amount, currency: channel.upstreamBalance.currency, checkedAt: new Date(channel.upstreamBalance.checkedAt) }
      : null,
    history: channel.healthHistory.map((check) => ({ at: new Date(check.at), outcome: check.outcome, httpStatus: check.httpStatus, latencyMs: check.latencyMs, message: check.message })),
  };
}
