// The whole gateway for the end-to-end money tests: a private Redis, a throwaway database (TEST_DB), the mock provider as
// the only upstream, the control plane (no UI), a data plane and the workers, with a GraphQL client signed in as root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startControlPlane } from '@nebulagate/control-plane';
import { startDataPlane } from '@nebulagate/data-plane';
import { redisKeys } from '@nebulagate/schema';
import {
  createTestDatabase,
  eventually,
  graphqlClient,
  startMockProvider,
  startRedisServer,
  type GraphqlClient,
  type MockProvider,
  type RedisServerHandle,
  type TestDatabase,
} from '@nebulagate/testing';
import { startWorkers } from '@nebulagate/workers';

const CRYPTO_SECRET = 'e2e-crypto-secret-0123456789abcdef';
const ADMIN_PASSWORD = 'e2e-Root-Password-42!';

export interface GatewayStack {
  redisServer: RedisServerHandle;
  /** A client of the gateway's Redis, to read wallets and counters. */
  redis: Redis;
  testDatabase: TestDatabase;
  mock: MockProvider;
  controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
  dataPlane: Awaited<ReturnType<typeof startDataPlane>>;
  workers: Awaited<ReturnType<typeof startWorkers>>;
  /** The control plane's GraphQL endpoint without a session (for logins). */
  anonymous: GraphqlClient;
  /** The same, signed in as root. */
  admin: GraphqlClient;
  /** Resolves once the data plane serves the newest snapshot the control plane published. */
  dataPlaneCaughtUp(): Promise<void>;
  /** Stops everything that was started, newest first. */
  close(): Promise<void>;
}

export async function startGatewayStack({ workerConcurrency }: { workerConcurrency: number }): Promise<GatewayStack> {
  const cleanups: Array<() => unknown> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const directory = mkdtempSync(join(tmpdir(), 'ng-e2e-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const [redisServer, testDatabase, mock] = await Promise.all([startRedisServer(), createTestDatabase(), startMockProvider()]);
    cleanups.push(() => redisServer.stop(), () => testDatabase.drop(), () => mock.close());
    const redis = new Redis(redisServer.url);
    cleanups.push(() => redis.disconnect());
    const controlPlane = await startControlPlane({
      host: '127.0.0.1',
      port: 0,
      databaseUrl: testDatabase.url,
      redisUrl: redisServer.url,
      sessionSecret: 'e2e-session-secret-0123456789abcdef',
      cryptoSecret: CRYPTO_SECRET,
      adminPassword: ADMIN_PASSWORD,
      dataDir: directory,
      adminUiDir: null,
      allowPrivateUpstreams: true,
      cookieSecure: false,
    });
    cleanups.push(() => controlPlane.close());
    const dataPlane = await startDataPlane({
      host: '127.0.0.1',
      port: 0,
      redisUrl: redisServer.url,
      cryptoSecret: CRYPTO_SECRET,
      allowPrivateUpstreams: true,
      snapshotCachePath: join(directory, 'snapshot-cache.json'),
      usageSpoolPath: join(directory, 'usage-spool.jsonl'),
    });
    cleanups.push(() => dataPlane.close());
    const workers = await startWorkers({ databaseUrl: testDatabase.url, redisUrl: redisServer.url, concurrency: workerConcurrency });
    cleanups.push(() => workers.close());

    const anonymous = graphqlClient(`${controlPlane.url}/graphql`);
    const rootLogin = await anonymous.request<{ login: { sessionToken: string } }>('mutation($input: LoginInput!) { login(input: $input) { sessionToken } }', {
      input: { username: 'root', password: ADMIN_PASSWORD },
    });
    const admin = anonymous.withSession(rootLogin.login.sessionToken);

    const dataPlaneCaughtUp = async () => {
      const published = Number(await redis.get(redisKeys.snapshotVersion));
      await eventually(async () => {
        const health = (await (await fetch(`${dataPlane.url}/health`)).json()) as { snapshotVersion: number };
        return health.snapshotVersion >= published || undefined;
      }, 5_000);
    };
    return { redisServer, redis, testDatabase, mock, controlPlane, dataPlane, workers, anonymous, admin, dataPlaneCaughtUp, close };
  } catch (error) {
    await close();
    throw error;
  }
}
