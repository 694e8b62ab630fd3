// This node's view of channel health: breaker states and disabled keys, held in memory so routing reads no Redis.
// Outcomes of attempts are counted locally and written by one Lua script per sync tick, which also reads back every
// breaker of the snapshot and every disabled-key set: one round trip per node per second, none per request. A node
// therefore learns what another node decided within one tick; a half-open probe and a key disable go to Redis at once.
import { redisKeys, type Snapshot } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import { availabilityOf, PROBE_SCRIPT, readBreakerViews, SYNC_SCRIPT, type Availability, type BreakerView } from './circuit-breaker';
import { numberArray } from './lua-script';

const SYNC_INTERVAL_MS = 1_000;

/** How an attempt ended, as the breakers count it. */
export type AttemptOutcome =
  | 'success'
  /** Channel-wide trouble (5xx, connect error, timeout): counts on the channel's and the key's breakers. */
  | 'failure'
  /** Trouble of this key only (rate limited): counts on the key's breaker. */
  | 'key_failure'
  /** Says nothing about the channel (the caller's own 4xx, a client disconnect). */
  | 'neutral';

/** What the route planner asks; answered from memory. */
export interface RoutingHealth {
  channelAvailability(channelId: string, now: number): Availability;
  keyAvailability(channelId: string, keyId: string, now: number): Availability;
}

interface PendingCounts {
  successes: number;
  failures: number;
}

export class ChannelHealth implements RoutingHealth {
  /** Only breakers that are not closed. */
  private breakers = new Map<string, BreakerView>();
  private disabled = new Map<string, ReadonlySet<string>>();
  /**
   * Keys this node disabled, by channel, with the sync count when the SADD was written (null: not yet). A sync that
   * started before the write cannot see it, so it must not revive the key; a later sync's read is authoritative (an
   * operator's SREM re-enables the key).
   */
  private unconfirmedDisables = new Map<string, Map<string, number | null>>();
  private syncsStarted = 0;
  private pending = new Map<string, PendingCounts>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private keyListVersion = -1;
  private breakerKeys: string[] = [];
  private disabledSetKeys: string[] = [];
  private channelIds: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly snapshots: { readonly snapshot: Snapshot | null },
    private readonly intervalMs = SYNC_INTERVAL_MS,
  ) {}

  start(): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Last outcomes go out before the connection closes.
    if (this.pending.size > 0) await this.sync();
    else await this.syncing;
  }

  channelAvailability(channelId: string, now: number): Availability {
    if (this.breakers.size === 0) return 'usable';
    return availabilityOf(this.breakers.get(redisKeys.breaker(channelId)), now);
  }

  keyAvailability(channelId: string, keyId: string, now: number): Availability {
    if (this.disabled.get(channelId)?.has(keyId)) return 'blocked';
    if (this.breakers.size === 0) return 'usable';
    return availabilityOf(this.breakers.get(redisKeys.breaker(channelId, keyId)), now);
  }

  /** Seconds until the first of these channels may take traffic again (at least 1). */
  retryAfterSeconds(channelIds: Iterable<string>, now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const channelId of channelIds) {
      const view = this.breakers.get(redisKeys.breaker(channelId));
      if (!view) continue;
      const until = view.state === 'open' ? view.openUntil : view.probeUntil;
      if (until > now) earliest = Math.min(earliest, until);
    }
    return Number.isFinite(earliest) ? Math.max(1, Math.ceil((earliest - now) / 1000)) : 1;
  }

  report(channelId: string, keyId: string, outcome: AttemptOutcome, probe: boolean): void {
    if (outcome === 'neutral') return;
    const failed = outcome !== 'success';
    if (outcome !== 'key_failure') this.count(redisKeys.breaker(channelId), failed);
    this.count(redisKeys.breaker(channelId, keyId), failed);
    // A probe's result decides the breaker for every node: write it now rather than on the next tick.
    if (probe) void this.sync();
  }

  /** The upstream said the key is invalid or out of credit: never use it again (until an operator re-enables it). */
  async disableKey(channelId: string, keyId: string): Promise<void> {
    const current = this.disabled.get(channelId);
    this.disabled.set(channelId, new Set([...(current ?? []), keyId]));
    const unconfirmed = this.unconfirmedDisables.get(channelId) ?? new Map<string, number | null>();
    unconfirmed.set(keyId, null);
    this.unconfirmedDisables.set(channelId, unconfirmed);
    logger.warn('channel key disabled after the upstream refused it', { channelId, keyId });
    try {
      await this.redis.sadd(redisKeys.disabledKeys(channelId), keyId);
      unconfirmed.set(keyId, this.syncsStarted);
    } catch (error) {
      logger.warn('could not record a disabled key; retried by the next failure', { channelId, keyId, error: describeError(error) });
    }
  }

  /** Takes the half-open lease on every breaker key given, or on none; false when another probe holds one. */
  async acquireProbe(breakerKeys: readonly string[], leaseMs: number): Promise<boolean> {
    if (breakerKeys.length === 0) return true;
    try {
      const reply = numberArray(await PROBE_SCRIPT.run(this.redis, breakerKeys, [Date.now(), leaseMs]));
      if (!reply) return false;
      const views = readBreakerViews(reply, 1, breakerKeys.length);
      const next = new Map(this.breakers);
      breakerKeys.forEach((key, index) => this.apply(next, key, views[index]));
      this.breakers = next;
      return reply[0] === 1;
    } catch (error) {
      // Nodes cannot agree without Redis; let the probe go (it is one request).
      logger.warn('breaker probe could not be coordinated', { error: describeError(error) });
      return true;
    }
  }

  /** Writes the counted outcomes and reads back every breaker and disabled-key set. Concurrent calls coalesce. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.runSync().finally(() => {
      this.syncing = null;
      if (this.syncAgain) {
        this.syncAgain = false;
        void this.sync();
      }
    });
    return this.syncing;
  }

  private count(key: string, failed: boolean): void {
    let counts = this.pending.get(key);
    if (!counts) {
      counts = { successes: 0, failures: 0 };
      this.pending.set(key, counts);
    }
    if (failed) counts.failures += 1;
    else counts.successes += 1;
  }

  private apply(target: Map<string, BreakerView>, key: string, view: BreakerView | undefined): void {
    if (!view || view.state === 'closed') target.delete(key);
    else target.set(key, view);
  }

  private refreshKeyList(snapshot: Snapshot): void {
    if (snapshot.version === this.keyListVersion) return;
    const breakerKeys: string[] = [];
    const channelIds = Object.keys(snapshot.channels);
    for (const channelId of channelIds) {
      const channel = snapshot.channels[channelId];
      breakerKeys.push(redisKeys.breaker(channelId));
      channel?.sealedKeys.forEach((_, index) => breakerKeys.push(redisKeys.breaker(channelId, keyIdAt(channel.keyIds, index))));
    }
    this.breakerKeys = breakerKeys;
    this.channelIds = channelIds;
    this.disabledSetKeys = channelIds.map((channelId) => redisKeys.disabledKeys(channelId));
    this.keyListVersion = snapshot.version;
  }

  private async runSync(): Promise<void> {
    const snapshot = this.snapshots.snapshot;
    if (!snapshot) return;
    this.syncsStarted += 1;
    const generation = this.syncsStarted;
    this.refreshKeyList(snapshot);
    const outcomes = this.pending;
    this.pending = new Map();
    const known = new Set(this.breakerKeys);
    const breakerKeys = [...this.breakerKeys, ...[...outcomes.keys()].filter((key) => !known.has(key))];
    const settings = snapshot.settings.breaker;
    const args: Array<string | number> = [
      Date.now(),
      settings.windowSeconds * 1000,
      settings.minimumRequests,
      settings.failureRateThreshold,
      settings.openSeconds * 1000,
      breakerKeys.length,
    ];
    for (const key of breakerKeys) {
      const counts = outcomes.get(key);
      args.push(counts?.successes ?? 0, counts?.failures ?? 0);
    }
    let reply: unknown;
    try {
      reply = await SYNC_SCRIPT.run(this.redis, [...breakerKeys, ...this.disabledSetKeys], args);
    } catch (error) {
      // Keep the counts for the next tick and the last known states meanwhile.
      for (const [key, counts] of outcomes) {
        const current = this.pending.get(key);
        if (current) {
          current.successes += counts.successes;
          current.failures += counts.failures;
        } else this.pending.set(key, counts);
      }
      logger.debug('channel health sync failed', { error: describeError(error) });
      return;
    }
    if (!Array.isArray(reply)) return;
    const numbers = numberArray(reply.slice(0, breakerKeys.length * 3)) ?? [];
    const views = readBreakerViews(numbers, 0, breakerKeys.length);
    const breakers = new Map<string, BreakerView>();
    breakerKeys.forEach((key, index) => this.apply(breakers, key, views[index]));
    const disabled = new Map<string, ReadonlySet<string>>();
    this.channelIds.forEach((channelId, index) => {
      const members = reply[breakerKeys.length * 3 + index];
      if (typeof members === 'string' && members.length > 0) disabled.set(channelId, new Set(members.split(',')));
    });
    for (const [channelId, keyIds] of this.unconfirmedDisables) {
      for (const [keyId, writtenAt] of keyIds) if (writtenAt !== null && writtenAt < generation) keyIds.delete(keyId);
      if (keyIds.size === 0) {
        this.unconfirmedDisables.delete(channelId);
        continue;
      }
      disabled.set(channelId, new Set([...(disabled.get(channelId) ?? []), ...keyIds.keys()]));
    }
    this.breakers = breakers;
    this.disabled = disabled;
  }
}

/** The id naming key `index` of a channel; snapshots compiled without key ids fall back to the position. */
export function keyIdAt(keyIds: readonly string[], index: number): string {
  return keyIds[index] ?? `index-${index}`;
}
