// Starts everything a benchmark run measures, on loopback only: private Redis servers, the mock provider, L0 and the
// data plane (billing on, and billing off when the data plane supports it), each proxy as a child pinned to CPU 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnapshot, publishSnapshot, seedUserWithToken, startRedisServer, type RedisServerHandle } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import type { LoadTarget } from './load-generator';
import { ManagedChild, type Pinning } from './managed-child';
import { readProcessSample } from './process-stats';
import { BENCH_MODEL, BENCH_PRICE } from './workload';

export type TargetId = 'direct' | 'l0' | 'gateway' | 'gateway-no-billing';

export const TARGET_LABELS: Record<TargetId, string> = {
  direct: 'direct (mock)',
  l0: 'L0 undici pass-through',
  gateway: 'data plane, billing on',
  'gateway-no-billing': 'data plane, billing off',
};

export interface GatewayAccount {
  redis: Redis;
  redisUrl: string;
  userId: string;
  walletCreditsAtStart: number;
  usageSpoolPath: string;
}

export interface BenchTarget {
  id: TargetId;
  load: LoadTarget;
  /** The relay process under test; null for direct calls. */
  process: ManagedChild | null;
  /** Gateways only: where their money and usage events live. */
  account: GatewayAccount | null;
  idleRssBytes: number | null;
}

export interface BenchEnvironment {
  targets: BenchTarget[];
  mock: ManagedChild;
  /** Why the billing-on gateway is absent (null when present): e.g. the data plane is not built yet. */
  gatewayMissing: string | null;
  /** Why the billing-off target is absent (null when present). */
  billingOffMissing: string | null;
  /** Every process of the benchmark (itself, mock, relays, Redis servers): the rest of the machine is noise. */
  ownPids(): number[];
  close(): Promise<void>;
}

const CHILD_START_TIMEOUT_MS = 30_000;
const CRYPTO_SECRET = 'bench-crypto-secret-0123456789abcdef';
const UPSTREAM_KEY = 'sk-bench-upstream';
const USER_ID = 'bench-user';
/** Far more than any run can spend, and still an exact integer in Lua and JS. */
const WALLET_CREDITS = 1_000_000_000_000_000;
const CHAT_PATH = '/v1/chat/completions';

export type ChildScript = 'mock-provider' | 'pass-through-proxy' | 'data-plane';

/** Node arguments that run one of the bench child scripts, compiled (dist) or from source (swc-node). */
export function childScriptArguments(script: ChildScript): string[] {
  const compiled = __filename.endsWith('.js');
  const file = join(__dirname, 'processes', `${script}.process.${compiled ? 'js' : 'ts'}`);
  return compiled ? [file] : ['-r', '@swc-node/register', file];
}

async function seedGateway(redisUrl: string, mockBaseUrl: string): Promise<{ redis: Redis; key: string }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await publishSnapshot(redis, (version) =>
    buildSnapshot({
      version,
      cryptoSecret: CRYPTO_SECRET,
      channels: [{ id: 'bench-mock', baseUrl: mockBaseUrl, keys: [UPSTREAM_KEY], models: [BENCH_MODEL] }],
      prices: { [BENCH_MODEL]: BENCH_PRICE },
    }),
  );
  const { key } = await seedUserWithToken(redis, { userId: USER_ID, tokenId: 'bench-token', walletCredits: WALLET_CREDITS });
  return { redis, key };
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' | ');
}

/** How long a process sits without traffic before its RSS counts as idle. */
const IDLE_SETTLE_MS = 10_000;

async function readRss(child: ManagedChild): Promise<number | null> {
  // Idle means at rest: V8 gives back the young generation that start-up grew only after several seconds without work
  // (about 16 MB of the data plane's figure one second after start), so one second would measure start-up, not idle.
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  return readProcessSample(child.pid)?.rssBytes ?? null;
}

export async function startBenchEnvironment(options: {
  pinning: Pinning;
  log: (line: string) => void;
  /** Run the billing-on data plane under `node --cpu-prof`, writing here (and skip the billing-off one). */
  profileDirectory?: string;
}): Promise<BenchEnvironment> {
  const cleanups: Array<() => Promise<void>> = [];
  const pids: number[] = [process.pid];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const workDirectory = mkdtempSync(join(tmpdir(), 'ng-bench-'));
    cleanups.push(async () => rmSync(workDirectory, { recursive: true, force: true }));

    // Mock and Redis stay on the orchestrator's CPU (1); relays are pinned to CPU 0.
    const mock = ManagedChild.start({ name: 'mock provider', nodeArguments: childScriptArguments('mock-provider'), cpu: 1, pinning: options.pinning });
    cleanups.push(() => mock.stop());
    const mockReady = await mock.waitFor('ready', CHILD_START_TIMEOUT_MS);
    pids.push(mock.pid);
    const mockOrigin = new URL(mockReady.url).origin;
    options.log(`mock provider on ${mockOrigin} (pid ${mock.pid})`);

    const l0 = ManagedChild.start({
      name: 'L0 pass-through proxy',
      nodeArguments: childScriptArguments('pass-through-proxy'),
      env: { BENCH_UPSTREAM_ORIGIN: mockOrigin },
      cpu: 0,
      pinning: options.pinning,
    });
    cleanups.push(() => l0.stop());
    const l0Ready = await l0.waitFor('ready', CHILD_START_TIMEOUT_MS);
    pids.push(l0.pid);
    options.log(`L0 pass-through proxy on ${l0Ready.url} (pid ${l0.pid})`);

    const upstreamHeaders = { authorization: `Bearer ${UPSTREAM_KEY}` };
    const targets: BenchTarget[] = [
      { id: 'direct', load: { url: mockOrigin + CHAT_PATH, headers: upstreamHeaders }, process: null, account: null, idleRssBytes: null },
      { id: 'l0', load: { url: l0Ready.url + CHAT_PATH, headers: upstreamHeaders }, process: l0, account: null, idleRssBytes: null },
    ];

    const startGateway = async (id: 'gateway' | 'gateway-no-billing'): Promise<BenchTarget> => {
      const redisServer: RedisServerHandle = await startRedisServer();
      cleanups.push(() => redisServer.stop());
      if (redisServer.process.pid !== undefined) pids.push(redisServer.process.pid);
      const { redis, key } = await seedGateway(redisServer.url, mockReady.url);
      cleanups.push(async () => void redis.disconnect());
      const usageSpoolPath = join(workDirectory, `${id}-usage-spool.jsonl`);
      const child = ManagedChild.start({
        name: TARGET_LABELS[id],
        nodeArguments: [...(options.profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDirectory}`] : []), ...childScriptArguments('data-plane')],
        env: {
          HOST: '127.0.0.1',
          DATA_PLANE_PORT: '0',
          REDIS_URL: redisServer.url,
          CRYPTO_SECRET,
          ALLOW_PRIVATE_UPSTREAMS: 'true',
          DATA_DIR: join(workDirectory, id),
          SNAPSHOT_CACHE_PATH: join(workDirectory, `${id}-snapshot.json`),
          USAGE_SPOOL_PATH: usageSpoolPath,
          BENCH_BILLING: id === 'gateway' ? 'on' : 'off',
        },
        cpu: 0,
        pinning: options.pinning,
      });
      cleanups.push(() => child.stop());
      const ready = await child.waitFor('ready', CHILD_START_TIMEOUT_MS);
      pids.push(child.pid);
      options.log(`${TARGET_LABELS[id]} on ${ready.url} (pid ${child.pid}, redis ${redisServer.url})`);
      return {
        id,
        load: { url: ready.url + CHAT_PATH, headers: { authorization: `Bearer ${key}` } },
        process: child,
        account: { redis, redisUrl: redisServer.url, userId: USER_ID, walletCreditsAtStart: WALLET_CREDITS, usageSpoolPath },
        idleRssBytes: null,
      };
    };

    // A gateway that cannot start is reported as missing; L0 and direct are still measured.
    const tryStart = async (id: 'gateway' | 'gateway-no-billing'): Promise<string | null> => {
      try {
        targets.push(await startGateway(id));
        return null;
      } catch (error) {
        const reason = error instanceof Error ? firstLines(error.message) : String(error);
        options.log(`${TARGET_LABELS[id]} skipped: ${reason}`);
        return reason;
      }
    };
    const gatewayMissing = await tryStart('gateway');
    const billingOffMissing = options.profileDirectory ? 'not started in profile mode' : await tryStart('gateway-no-billing');

    // Read side by side: every process has been idle for the same time.
    await Promise.all(targets.map(async (target) => {
      if (target.process) target.idleRssBytes = await readRss(target.process);
    }));
    return { targets, mock, gatewayMissing, billingOffMissing, ownPids: () => pids, close };
  } catch (error) {
    await close();
    throw error;
  }
}
