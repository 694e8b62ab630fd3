// Starts a real control plane (port 0) on a private Redis and a fresh SQLite/PostgreSQL database, plus GraphQL helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { startControlPlane, type ControlPlaneConfig, type ControlPlaneHandle } from '../src';

export const CRYPTO_SECRET = 'test-crypto-secret-0123456789';
export const ROOT_PASSWORD = 'root-password-for-tests';

export interface GraphqlResult<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface Harness {
  plane: ControlPlaneHandle;
  redis: Redis;
  redisServer: RedisServerHandle;
  database: TestDatabase;
  config: ControlPlaneConfig;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, sessionToken?: string | null): Promise<GraphqlResult<T>>;
  login(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(overrides: Partial<ControlPlaneConfig> = {}): Promise<Harness> {
  const redisServer = await startRedisServer();
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'ng-cp-data-'));
  const config: ControlPlaneConfig = {
    host: '127.0.0.1',
    port: 0,
    databaseUrl: database.url,
    redisUrl: redisServer.url,
    sessionSecret: 'test-session-secret-0123456789',
    cryptoSecret: CRYPTO_SECRET,
    adminPassword: ROOT_PASSWORD,
    dataDir,
    adminUiDir: null,
    allowPrivateUpstreams: false,
    cookieSecure: false,
    ...overrides,
  };
  const plane = await startControlPlane(config);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}, sessionToken: string | null = null): Promise<GraphqlResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (sessionToken) headers.authorization = `Bearer ${sessionToken}`;
    const response = await fetch(`${plane.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphqlResult<T>;
  };
  return {
    plane,
    redis,
    redisServer,
    database,
    config,
    graphql,
    async login(username, password) {
      const result = await graphql<{ login: { sessionToken: string } }>(
        'mutation ($input: LoginInput!) { login(input: $input) { sessionToken } }',
        { input: { username, password } },
      );
      const token = result.data?.login.sessionToken;
      if (!token) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
      return token;
    },
    async stop() {
      await plane.close();
      redis.disconnect();
      await redisServer.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `read` returns a value (bounded; the control plane publishes ~100 ms after a change). */
export async function eventually<T>(read: () => Promise<T | null | undefined>, what: string, attempts = 100): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function errorCode(result: GraphqlResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
