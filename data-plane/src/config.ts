// Data-plane settings from environment variables (see README). Every problem names the variable at fault.
import { join } from 'node:path';
import { readBoolean, readCryptoSecret, readDataDirectory, readHost, readPort, readRedisUrl } from '@nebulagate/schema';

export { ConfigError } from '@nebulagate/schema';

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
  };
}
