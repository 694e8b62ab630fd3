// Control-plane settings, read once from the environment. Invalid values fail start-up with the variable's name.
import { isAbsolute, resolve } from 'node:path';
import { readPaymentConfig, type PaymentConfig } from './modules/payment/payment-config';
import { ConfigError, readBoolean, readCryptoSecret, readDataDirectory, readHost, readPort, readRedisUrl } from '@nebulagate/schema';

export { ConfigError } from '@nebulagate/schema';

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
  /** Top-up providers (Stripe, Epay); absent = all disabled. */
  payments?: PaymentConfig;
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

export function readDatabaseUrl(env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env.DATABASE_URL ?? env.SQL_DSN;
  const variable = env.DATABASE_URL !== undefined ? 'DATABASE_URL' : 'SQL_DSN';
  const value = fromEnv && fromEnv.trim() !== '' ? fromEnv : `sqlite:${resolve(dataDir, 'nebulagate.db')}`;
  parseDatabaseUrl(value, variable);
  return value;
}

export function loadControlPlaneConfig(env: NodeJS.ProcessEnv): ControlPlaneConfig {
  const dataDir = readDataDirectory(env);
  const cryptoSecret = readCryptoSecret(env);
  const sessionSecret = env.SESSION_SECRET && env.SESSION_SECRET !== '' ? env.SESSION_SECRET : cryptoSecret;
  if (sessionSecret.length < 16) throw new ConfigError('SESSION_SECRET', 'must be at least 16 characters');
  const adminPassword = env.ADMIN_PASSWORD && env.ADMIN_PASSWORD !== '' ? env.ADMIN_PASSWORD : null;
  if (adminPassword !== null && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  }
  const adminUiDir = env.ADMIN_UI_DIR === '' ? null : resolve(env.ADMIN_UI_DIR ?? 'admin-ui/dist');
  return {
    host: readHost(env),
    port: readPort(env, 'CONTROL_PLANE_PORT', 3001),
    databaseUrl: readDatabaseUrl(env, dataDir),
    redisUrl: readRedisUrl(env),
    sessionSecret,
    cryptoSecret,
    adminPassword,
    dataDir,
    adminUiDir,
    allowPrivateUpstreams: readBoolean(env, 'ALLOW_PRIVATE_UPSTREAMS', false),
    cookieSecure: readBoolean(env, 'COOKIE_SECURE', false),
    payments: readPaymentConfig(env),
  };
}
