// Data-plane settings from environment variables (see README). Every problem names the variable at fault.
import { join } from 'node:path';
import { readBoolean, readCryptoSecret, readDataDirectory, readHost, readPort, readRedisUrl } from '@nebulagate/schema';

import { ConfigError } from '@nebulagate/schema';

export { ConfigError };

export interface DataPlaneConfig {
  host: string;
  port: number;
  redisUrl: string;
  cryptoSecret: string;
  allowPrivateUpstreams: boolean;
  snapshotCachePath: string;
  usageSpoolPath: string;
  /**
   * Env `BILLING` (default on). `BILLING=off` skips the wallet reservation, the settlement and the usage event: requests
   * are relayed free of charge and leave no usage record. It exists only to measure what billing costs (the benchmark's
   * "billing off" target); never turn it off in production.
   */
  billing: boolean;
  /** Env `SSE_PING_INTERVAL_MS` (default 15000, 0 = off): a `: ping` comment after this long without a stream write. */
  streamPingIntervalMs: number;
  /**
   * Env `OFFLINE_SPEND_ALLOWANCE` (credits, default 1000000 = 1 USD, 0 = off): what this node may spend per user while
   * Redis is unreachable, never more than the balance it last saw; booked when Redis returns.
   */
  offlineSpendAllowance: number;
}

export const DEFAULT_OFFLINE_SPEND_ALLOWANCE = 1_000_000;

export const DEFAULT_STREAM_PING_INTERVAL_MS = 15_000;

/** A whole number >= 0 from `name`, or `fallback` when unset; `unit` names what it counts in the error. */
function readWholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, unit: string): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(name, `must be a whole number of ${unit}`);
  return value;
}

export function loadDataPlaneConfig(env: NodeJS.ProcessEnv): DataPlaneConfig {
  const dataDirectory = readDataDirectory(env);
  return {
    host: readHost(env),
    port: readPort(env, 'DATA_PLANE_PORT', 3000),
    redisUrl: readRedisUrl(env),
    cryptoSecret: readCryptoSecret(env),
    allowPrivateUpstreams: readBoolean(env, 'ALLOW_PRIVATE_UPSTREAMS', false),
    snapshotCachePath: env.SNAPSHOT_CACHE_PATH?.trim() || join(dataDirectory, 'data-plane-snapshot.json'),
    usageSpoolPath: env.USAGE_SPOOL_PATH?.trim() || join(dataDirectory, 'usage-spool.jsonl'),
    billing: readBoolean(env, 'BILLING', true),
    streamPingIntervalMs: readWholeNumber(env, 'SSE_PING_INTERVAL_MS', DEFAULT_STREAM_PING_INTERVAL_MS, 'milliseconds (0 turns pings off)'),
    offlineSpendAllowance: readWholeNumber(env, 'OFFLINE_SPEND_ALLOWANCE', DEFAULT_OFFLINE_SPEND_ALLOWANCE, 'credits (0 turns offline spending off)'),
  };
}
