// Workers settings from the environment (same variable names as the control plane).
import { readDatabaseUrl } from '@nebulagate/control-plane';
import { ConfigError, readDataDirectory, readRedisUrl } from '@nebulagate/schema';

export interface WorkersConfig {
  databaseUrl: string;
  redisUrl: string;
  concurrency: number;
}

export function loadWorkersConfig(env: NodeJS.ProcessEnv): WorkersConfig {
  const dataDir = readDataDirectory(env);
  let concurrency = 8;
  if (env.WORKER_CONCURRENCY !== undefined && env.WORKER_CONCURRENCY.trim() !== '') {
    concurrency = Number(env.WORKER_CONCURRENCY);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new ConfigError('WORKER_CONCURRENCY', 'must be an integer between 1 and 256');
  }
  return { databaseUrl: readDatabaseUrl(env, dataDir), redisUrl: readRedisUrl(env), concurrency };
}
