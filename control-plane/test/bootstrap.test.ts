import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';
import { redisKeys } from '@nebulagate/schema';
import { startControlPlane, type ControlPlaneConfig } from '../src';
import { CRYPTO_SECRET } from './harness';

let redisServer: RedisServerHandle;
let database: TestDatabase;
let dataDir: string;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'ng-bootstrap-'));
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  redis.disconnect();
  await redisServer.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function configuration(overrides: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig {
  return {
    host: '127.0.0.1', port: 0, databaseUrl: database.url, redisUrl: redisServer.url, sessionSecret: 'session-secret-0123456789', cryptoSecret: CRYPTO_SECRET,
    adminPassword: null, dataDir, adminUiDir: null, allowPrivateUpstreams: false, cookieSecure: false, ...overrides,
  };
}

async function login(url: string, password: string): Promise<{ sessionToken?: string; code?: string }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation ($input: LoginInput!) { login(input: $input) { sessionToken } }', variables: { input: { username: 'root', password } } }),
  });
  const body = (await response.json()) as { data?: { login: { sessionToken: string } }; errors?: Array<{ extensions: { code: string } }> };
  return { sessionToken: body.data?.login.sessionToken, code: body.errors?.[0]?.extensions.code };
}

describe('first start and restarts', () => {
  it('generates a root password once (returned + 0600 file), never a default, and refills a flushed Redis on restart', async () => {
    const first = await startControlPlane(configuration());
    let password: string;
    try {
      expect(first.initialRootPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      password = first.initialRootPassword ?? '';
      const file = join(dataDir, 'initial-root-password');
      expect(readFileSync(file, 'utf8').trim()).toBe(password);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((await login(first.url, password)).sessionToken).toBeDefined();
      expect((await login(first.url, 'admin')).code).toBe('UNAUTHENTICATED');
      expect((await login(first.url, '123456')).code).toBe('UNAUTHENTICATED');
    } finally {
      await first.close();
    }

    await redis.flushall();
    const second = await startControlPlane(configuration({ adminPassword: 'ignored-because-root-exists' }));
    try {
      expect(second.initialRootPassword).toBeNull();
      expect((await login(second.url, password)).sessionToken).toBeDefined();
      expect(await redis.get(redisKeys.snapshotCurrent)).not.toBeNull();
      const userKeys = await redis.keys(redisKeys.user('*'));
      expect(userKeys).toHaveLength(1);
      expect(await redis.get(redisKeys.wallet(userKeys[0]!.split(':').at(-1)!))).toBe('0');
    } finally {
      await second.close();
    }
  });

  it('serves the admin UI with an SPA fallback when ADMIN_UI_DIR exists', async () => {
    const uiDir = join(dataDir, 'ui');
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>NebulaGate</title>');
    writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)');
    const plane = await startControlPlane(configuration({ adminUiDir: uiDir }));
    try {
      const index = await fetch(`${plane.url}/`);
      expect(await index.text()).toContain('NebulaGate');
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await (await fetch(`${plane.url}/channels/123`)).text()).toContain('NebulaGate');
      expect(await (await fetch(`${plane.url}/assets/app.js`)).text()).toBe('console.log(1)');
      expect((await fetch(`${plane.url}/assets/missing.js`)).status).toBe(404);
      expect((await fetch(`${plane.url}/health`)).status).toBe(200);
    } finally {
      await plane.close();
    }
  });
});
