// Channel health sweep: probes every enabled (or health-disabled) channel with a free call, records latency and a short
// history, auto-disables after N failures in a row and re-enables after M successes in a row (hysteresis). Safe to run
// twice: each run claims a channel for its schedule slot first, so a second run in the same slot skips it.
import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { ConfigError, openSecret, readBoolean, redisKeys } from '@nebulagate/schema';
import {
  appendHealthCheck,
  AuditLog,
  buildBalanceRequest,
  buildProbeRequest,
  Channel,
  ChannelStatus,
  nextHealthState,
  readBalance,
  runProbe,
  type ChannelBalanceValue,
  type ChannelHealthCheckRecord,
  type GuardedFetcher,
  type HealthThresholds,
  type HealthTransition,
  type ProbeResult,
} from '@nebulagate/control-plane';

export interface ChannelHealthSettings extends HealthThresholds {
  /** Time between sweeps; also the slot a run claims channels for. */
  everyMs: number;
  /** Budget of one probe. */
  timeoutMs: number;
  /** Probes in flight at once. */
  parallelProbes: number;
  allowPrivateUpstreams: boolean;
  cryptoSecret: string;
}

function readInteger(env: NodeJS.ProcessEnv, variable: string, fallback: number, minimum: number, maximum: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw new ConfigError(variable, `must be an integer between ${minimum} and ${maximum}`);
  return value;
}

/**
 * CHANNEL_HEALTH_INTERVAL_SECONDS (default 60, 0 = off), CHANNEL_HEALTH_FAILURES (3), CHANNEL_HEALTH_RECOVERIES (2),
 * CHANNEL_HEALTH_TIMEOUT_MS (10000), plus CRYPTO_SECRET and ALLOW_PRIVATE_UPSTREAMS. Null = health checks off.
 */
export function readChannelHealthSettings(env: NodeJS.ProcessEnv): ChannelHealthSettings | null {
  const intervalSeconds = readInteger(env, 'CHANNEL_HEALTH_INTERVAL_SECONDS', 60, 0, 86_400);
  const cryptoSecret = env.CRYPTO_SECRET ?? '';
  if (intervalSeconds === 0 || cryptoSecret.length < 16) return null;
  return {
    everyMs: intervalSeconds * 1000,
    failuresToDisable: readInteger(env, 'CHANNEL_HEALTH_FAILURES', 3, 1, 100),
    successesToEnable: readInteger(env, 'CHANNEL_HEALTH_RECOVERIES', 2, 1, 100),
    timeoutMs: readInteger(env, 'CHANNEL_HEALTH_TIMEOUT_MS', 10_000, 100, 120_000),
    parallelProbes: 8,
    allowPrivateUpstreams: readBoolean(env, 'ALLOW_PRIVATE_UPSTREAMS', false),
    cryptoSecret,
  };
}

export interface ChannelHealthDependencies {
  orm: MikroORM;
  /** Command connection (reads the data plane's auto-disabled keys). */
  redis: Redis;
  fetcher: GuardedFetcher;
  settings: Pick<ChannelHealthSettings, 'everyMs' | 'failuresToDisable' | 'successesToEnable' | 'parallelProbes' | 'cryptoSecret'>;
  /** Compiles and publishes a snapshot; called once when any channel changed status. */
  publishSnapshot(): Promise<void>;
  /** Epoch milliseconds; injectable so tests drive slots without waiting. */
  now?: () => number;
}

export interface ChannelHealthSweepResult {
  probed: number;
  /** Already probed in this slot by another run. */
  skipped: number;
  disabled: string[];
  enabled: string[];
}

const NO_USABLE_KEY: ProbeResult = { outcome: 'inconclusive', ok: false, httpStatus: null, latencyMs: 0, message: 'no usable key to probe with' };

/** Claims the channel for this slot; false when another run already did. */
async function claim(orm: MikroORM, channelId: string, slotStart: Date): Promise<boolean> {
  const claimed = await orm.em.fork().nativeUpdate(
    Channel,
    { id: channelId, $or: [{ healthClaimedAt: null }, { healthClaimedAt: { $lt: slotStart } }] },
    { healthClaimedAt: slotStart },
  );
  return claimed > 0;
}

/** The first key an admin left enabled and the data plane has not disabled. */
async function probeKey(channel: Channel, redis: Redis, cryptoSecret: string): Promise<string | null> {
  if (channel.sealedKeys.length === 0) return null;
  const autoDisabled = new Set(await redis.smembers(redisKeys.disabledKeys(channel.id)));
  const aligned = channel.keyStates.length === channel.sealedKeys.length;
  const index = aligned ? channel.keyStates.findIndex((state) => state.enabled && !autoDisabled.has(state.id)) : 0;
  const sealed = index >= 0 ? channel.sealedKeys[index] : undefined;
  return sealed === undefined ? null : openSecret(sealed, cryptoSecret);
}

interface ProbeReading {
  result: ProbeResult;
  /** Null when the provider reports none or the call failed (the last known balance is kept). */
  balance: ChannelBalanceValue | null;
}

/** The upstream balance, where the provider reports one; a failure here is never a health failure. */
async function fetchBalance(channel: Channel, apiKey: string, dependencies: ChannelHealthDependencies, checkedAt: number): Promise<ChannelBalanceValue | null> {
  const request = buildBalanceRequest(channel.type, channel.baseUrl, apiKey);
  if (!request) return null;
  try {
    const response = await dependencies.fetcher.request({ ...request, headers: { ...channel.headerOverrides, ...request.headers } });
    return response.status === 200 ? readBalance(channel.type, channel.baseUrl, response.body, checkedAt) : null;
  } catch {
    return null;
  }
}

async function probe(channel: Channel, dependencies: ChannelHealthDependencies, checkedAt: number): Promise<ProbeReading> {
  const apiKey = await probeKey(channel, dependencies.redis, dependencies.settings.cryptoSecret);
  if (apiKey === null) return { result: NO_USABLE_KEY, balance: null };
  const request = buildProbeRequest(
    { type: channel.type, baseUrl: channel.baseUrl, apiKey, headerOverrides: channel.headerOverrides, parameterOverrides: channel.parameterOverrides },
    'models',
    channel.models[0] ?? '',
  );
  const result = await runProbe(dependencies.fetcher, request, [apiKey]);
  const balance = result.outcome === 'down' ? null : await fetchBalance(channel, apiKey, dependencies, checkedAt);
  return { result, balance };
}

/**
 * Writes one probe result. The status flip is conditional on the state it was computed from, so an admin's change
 * made while the probe ran wins; on such a race the state is read again (a few times at most).
 */
async function record(orm: MikroORM, channelId: string, reading: ProbeReading, checkedAt: number, thresholds: HealthThresholds): Promise<HealthTransition> {
  const { result, balance } = reading;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const em = orm.em.fork();
    const channel = await em.findOne(Channel, { id: channelId });
    if (!channel) return 'none';
    // An admin disabled it while the probe ran: leave it alone.
    if (channel.status === ChannelStatus.DISABLED && !channel.autoDisabled) return 'none';
    const { state, transition } = nextHealthState(channel, result.outcome, thresholds);
    const check: ChannelHealthCheckRecord = { at: checkedAt, outcome: result.outcome, httpStatus: result.httpStatus, latencyMs: result.latencyMs, message: result.message };
    const changed = await em.nativeUpdate(
      Channel,
      { id: channelId, status: channel.status, autoDisabled: channel.autoDisabled },
      {
        status: state.status,
        autoDisabled: state.autoDisabled,
        healthStatus: state.healthStatus,
        consecutiveFailures: state.consecutiveFailures,
        consecutiveSuccesses: state.consecutiveSuccesses,
        lastCheckedAt: new Date(checkedAt),
        lastLatencyMs: result === NO_USABLE_KEY ? channel.lastLatencyMs : result.latencyMs,
        healthHistory: appendHealthCheck(channel.healthHistory, check),
        upstreamBalance: balance ?? channel.upstreamBalance,
      },
    );
    if (changed === 0) continue;
    if (transition !== 'none') {
      // A fresh fork: flushing `em` could write its stale copy of the channel back over the update above.
      const auditEm = orm.em.fork();
      auditEm.create(AuditLog, {
        actorId: null,
        action: transition === 'auto-disable' ? 'channel.health.disable' : 'channel.health.enable',
        target: channelId,
        before: { status: channel.status, autoDisabled: channel.autoDisabled },
        after: { status: state.status, autoDisabled: state.autoDisabled, consecutiveFailures: state.consecutiveFailures, consecutiveSuccesses: state.consecutiveSuccesses, lastMessage: result.message },
      });
      await auditEm.flush();
    }
    return transition;
  }
  return 'none';
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

export async function sweepChannelHealth(dependencies: ChannelHealthDependencies): Promise<ChannelHealthSweepResult> {
  const { orm, settings } = dependencies;
  const now = dependencies.now ?? Date.now;
  const slotStart = new Date(Math.floor(now() / settings.everyMs) * settings.everyMs);
  // Admin-disabled channels are never probed, so the worker cannot bring them back.
  const channels = await orm.em.fork().find(
    Channel,
    { $or: [{ status: ChannelStatus.ENABLED }, { status: ChannelStatus.DISABLED, autoDisabled: true }] },
    { orderBy: { id: 'asc' } },
  );
  const result: ChannelHealthSweepResult = { probed: 0, skipped: 0, disabled: [], enabled: [] };
  await inPool(channels, settings.parallelProbes, async (channel) => {
    if (!(await claim(orm, channel.id, slotStart))) {
      result.skipped += 1;
      return;
    }
    const reading = await probe(channel, dependencies, now());
    result.probed += 1;
    const transition = await record(orm, channel.id, reading, now(), settings);
    if (transition === 'auto-disable') result.disabled.push(channel.id);
    if (transition === 're-enable') result.enabled.push(channel.id);
  });
  if (result.disabled.length > 0 || result.enabled.length > 0) await dependencies.publishSnapshot();
  return result;
}
