// Control-plane settings, read once from the environment. Invalid values fail start-up with the variable's name.
import { isAbsolute, resolve } from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type DatabaseKind = 'sqlite' | 'postgresql';

export interface DatabaseLocation {
  kind: DatabaseKind;
  /** SQLite: absolute file path. PostgreSQL: the connection URL. */
  target: string;
}

export interface ControlPlaneConfig {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  sessionSecret: string;
  cryptoSecret: string;
  adminPassword: string | null;
  dataDir: string;
  adminUiDir: string | null;
  allowPrivateUpstreams: boolean;
  cookieSecure: boolean;
}

/** Accepts `sqlite:<path>`, `sqlite://<path>`, a bare path ending .db/.sqlite, or `postgres(ql)://...`. */
export function parseDatabaseUrl(value: string, variable = 'DATABASE_URL'): DatabaseLocation {
  const trimmed = value.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new ConfigError(variable, 'is not a valid PostgreSQL URL');
    }
    return { kind: 'postgresql', target: trimmed };
  }
  let path: string | null = null;
  if (/^sqlite:\/\//i.test(trimmed)) path = trimmed.slice('sqlite://'.length);
  else if (/^sqlite:/i.test(trimmed)) path = trimmed.slice('sqlite:'.length);
  else if (/\.(db|sqlite|sqlite3)$/i.test(trimmed) && !trimmed.includes('://')) path = trimmed;
  if (path === null || path.length === 0) {
    throw new ConfigError(variable, 'must be sqlite:<file>, a path ending in .db/.sqlite, or postgres://...');
  }
  return { kind: 'sqlite', target: isAbsolute(path) ? path : resolve(path) };
}

export function parseBoolean(value: string | undefined, variable: string, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const normalised = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  throw new ConfigError(variable, 'must be true or false');
}

export function parsePort(value: string | undefined, variable: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(variable, 'must be a port number (0-65535)');
  return port;
}

export function readCryptoSecret(env: NodeJS.ProcessEnv): string {
  const secret = env.CRYPTO_SECRET;
  if (!secret) throw new ConfigError('CRYPTO_SECRET', 'is required (at least 16 characters)');
  if (secret.length < 16) throw new ConfigError('CRYPTO_SECRET', 'must be at least 16 characters');
  return secret;
}

export function readDatabaseUrl(env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env.DATABASE_URL ?? env.SQL_DSN;
  const variable = env.DATABASE_URL !== undefined ? 'DATABASE_URL' : 'SQL_DSN';
  const value = fromEnv && fromEnv.trim() !== '' ? fromEnv : `sqlite:${resolve(dataDir, 'nebulagate.db')}`;
  parseDatabaseUrl(value, variable);
  return value;
}

export function readRedisUrl(env: NodeJS.ProcessEnv): string {
  const value = env.REDIS_URL ?? env.REDIS_CONN_STRING ?? 'redis://127.0.0.1:6379';
  const variable = env.REDIS_URL !== undefined ? 'REDIS_URL' : 'REDIS_CONN_STRING';
  if (!/^rediss?:\/\//i.test(value)) throw new ConfigError(variable, 'must start with redis:// or rediss://');
  return value;
}

export function loadControlPlaneConfig(env: NodeJS.ProcessEnv): ControlPlaneConfig {
  const dataDir = resolve(env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : './data');
  const cryptoSecret = readCryptoSecret(env);
  const sessionSecret = env.SESSION_SECRET && env.SESSION_SECRET !== '' ? env.SESSION_SECRET : cryptoSecret;
  if (sessionSecret.length < 16) throw new ConfigError('SESSION_SECRET', 'must be at least 16 characters');
  const adminPassword = env.ADMIN_PASSWORD && env.ADMIN_PASSWORD !== '' ? env.ADMIN_PASSWORD : null;
  if (adminPassword !== null && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  }
  const adminUiDir = env.ADMIN_UI_DIR === '' ? null : resolve(env.ADMIN_UI_DIR ?? 'admin-ui/dist');
  return {
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    port: parsePort(env.CONTROL_PLANE_PORT, 'CONTROL_PLANE_PORT', 3001),
    databaseUrl: readDatabaseUrl(env, dataDir),
    redisUrl: readRedisUrl(env),
    sessionSecret,
    cryptoSecret,
    adminPassword,
    dataDir,
    adminUiDir,
    allowPrivateUpstreams: parseBoolean(env.ALLOW_PRIVATE_UPSTREAMS, 'ALLOW_PRIVATE_UPSTREAMS', false),
    cookieSecure: parseBoolean(env.COOKIE_SECURE, 'COOKIE_SECURE', false),
  };
}
