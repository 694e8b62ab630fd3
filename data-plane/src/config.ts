// Data-plane settings from environment variables (see README). Every problem names the variable at fault.
import { join } from 'node:path';

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
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function readBoolean(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(variable, `expected true or false, got "${raw}"`);
}

function readPort(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(variable, `expected a port number, got "${raw}"`);
  return port;
}

export function loadDataPlaneConfig(env: NodeJS.ProcessEnv): DataPlaneConfig {
  const cryptoSecret = env.CRYPTO_SECRET ?? '';
  if (cryptoSecret.length < 16) throw new ConfigError('CRYPTO_SECRET', 'is required and must be at least 16 characters');
  const redisUrl = env.REDIS_URL ?? env.REDIS_CONN_STRING ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(env.REDIS_URL ? 'REDIS_URL' : 'REDIS_CONN_STRING', 'must start with redis:// or rediss://');
  const dataDirectory = env.DATA_DIR?.trim() || './data';
  return {
    host: env.HOST?.trim() || '0.0.0.0',
    port: readPort(env, 'DATA_PLANE_PORT', 3000),
    redisUrl,
    cryptoSecret,
    allowPrivateUpstreams: readBoolean(env, 'ALLOW_PRIVATE_UPSTREAMS', false),
    snapshotCachePath: env.SNAPSHOT_CACHE_PATH?.trim() || join(dataDirectory, 'data-plane-snapshot.json'),
    usageSpoolPath: env.USAGE_SPOOL_PATH?.trim() || join(dataDirectory, 'usage-spool.jsonl'),
    billing: readBoolean(env, 'BILLING', true),
  };
}
