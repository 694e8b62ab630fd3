// Reading the environment variables every plane shares (README lists them). A bad value stops start-up with a
// ConfigError naming the variable, so the message always says what to fix.
import { resolve } from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

export function readBoolean(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable];
  if (!present(raw)) return fallback;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(variable, `must be true or false, got "${raw}"`);
}

export function readPort(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (!present(raw)) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(variable, `must be a port number (0-65535), got "${raw}"`);
  return port;
}

export function readHost(env: NodeJS.ProcessEnv): string {
  return present(env.HOST) ? env.HOST.trim() : '0.0.0.0';
}

/** DATA_DIR as an absolute path (default ./data). */
export function readDataDirectory(env: NodeJS.ProcessEnv): string {
  return resolve(present(env.DATA_DIR) ? env.DATA_DIR.trim() : './data');
}

export function readCryptoSecret(env: NodeJS.ProcessEnv): string {
  const secret = env.CRYPTO_SECRET;
  if (!secret) throw new ConfigError('CRYPTO_SECRET', 'is required (at least 16 characters)');
  if (secret.length < 16) throw new ConfigError('CRYPTO_SECRET', 'must be at least 16 characters');
  return secret;
}

/** REDIS_URL, or new-api's REDIS_CONN_STRING. */
export function readRedisUrl(env: NodeJS.ProcessEnv): string {
  const variable = env.REDIS_URL !== undefined ? 'REDIS_URL' : 'REDIS_CONN_STRING';
  const value = env.REDIS_URL ?? env.REDIS_CONN_STRING ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//i.test(value)) throw new ConfigError(variable, 'must start with redis:// or rediss://');
  return value;
}
