// Workers settings from the environment (same variable names as the control plane).
import { ConfigError, readDatabaseUrl, readRedisUrl } from '@nebulagate/control-plane';
import { resolve } from 'node:path';

export interface WorkersConfig {
  databaseUrl: string;
  redisUrl: string;
  concurrency: number;
}

export function loadWorkersConfig(env: NodeJS.ProcessEnv): WorkersConfig {
  const dataDir = resolve(env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : './data');
  let concurrency = 8;
  if (env.WORKER_CONCURRENCY !== undefined && env.WORKER_CONCURRENCY.trim() !== '') {
    concurrency = Number(env.WORKER_CONCURRENCY);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new ConfigError('WORKER_CONCURRENCY', 'must be an integer between 1 and 256');
  }
  return { databaseUrl: readDatabaseUrl(env, dataDir), redisUrl: readRedisUrl(env), concurrency };
}
