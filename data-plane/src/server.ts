// Builds the data plane's long-lived parts (Redis connections, snapshot store, record cache, wallet, usage emitter,
// upstream fetcher), starts the HTTP server, and shuts everything down gracefully.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redisChannels } from '@nebulagate/schema';
import { createApp } from './app';
import { UsageEmitter } from './billing/usage-emitter';
import { WalletService } from './billing/wallet.service';
import { OfflineAllowance } from './billing/offline-allowance';
import { DEFAULT_OFFLINE_SPEND_ALLOWANCE, DEFAULT_STREAM_PING_INTERVAL_MS, type DataPlaneConfig } from './config';
import type { DataPlaneServices } from './context';
import { RateLimiter } from './limits/rate-limiter';
import { describeError, logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { connectWithin, createRedisConnections } from './redis/redis-connections';
import { createUpstreamFetcher } from './relay/upstream-fetcher';
import { attachRealtimeProxy } from './realtime/realtime-proxy';
import { ChannelHealth } from './resilience/channel-health';
import { RetryBudget } from './resilience/retry-budget';
import { SessionAffinity } from './resilience/session-affinity';
import { RecordCache } from './snapshot/record-cache';
import { SnapshotStore } from './snapshot/snapshot-store';

const STARTUP_REDIS_WAIT_MS = 3_000;
/** How long shutdown lets open streams finish before aborting them. */
const DRAIN_GRACE_MS = 10_000;

export interface RunningDataPlane {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function settleWithin(promises: Iterable<Promise<unknown>>, timeoutMs: number): Promise<boolean> {
  const all = Promise.allSettled([...promises]).then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([all, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Callers that build the configuration by hand (tests, the quickstart supervisor) may leave `billing` out: it then
 * defaults to on, so forgetting it can never relay unbilled requests.
 */
export type DataPlaneStartOptions = Omit<DataPlaneConfig, 'billing' | 'streamPingIntervalMs' | 'offlineSpendAllowance'> &
  Partial<Pick<DataPlaneConfig, 'billing' | 'streamPingIntervalMs' | 'offlineSpendAllowance'>>;

export async function startDataPlane(options: DataPlaneStartOptions): Promise<RunningDataPlane> {
  const config: DataPlaneConfig = {
    ...options,
    billing: options.billing ?? true,
    streamPingIntervalMs: options.streamPingIntervalMs ?? DEFAULT_STREAM_PING_INTERVAL_MS,
    offlineSpendAllowance: options.offlineSpendAllowance ?? DEFAULT_OFFLINE_SPEND_ALLOWANCE,
  };
  const connections = createRedisConnections(config.redisUrl);
  const metrics = new Metrics();
  const snapshots = new SnapshotStore(connections.commands, connections.subscriber, config.snapshotCachePath, config.cryptoSecret);
  const records = new RecordCache(connections.commands, connections.subscriber);
  const wallet = new WalletService(connections.commands, new OfflineAllowance(config.offlineSpendAllowance));
  const usage = new UsageEmitter(connections.commands, config.usageSpoolPath, metrics, wallet);
  const fetcher = createUpstreamFetcher({ allowPrivateUpstreams: config.allowPrivateUpstreams });
  const services: DataPlaneServices = {
    snapshots,
    records,
    wallet,
    usage,
    fetcher,
    metrics,
    redis: connections.commands,
    billing: config.billing,
    streamPingIntervalMs: config.streamPingIntervalMs,
    inFlight: new Set(),
    activeUpstreams: new Set(),
    health: new ChannelHealth(connections.commands, snapshots),
    retryBudget: new RetryBudget(connections.commands),
    affinity: new SessionAffinity(connections.commands),
    limiter: new RateLimiter(connections.commands),
  };

  const [commandsReady] = await Promise.all([
    connectWithin(connections.commands, STARTUP_REDIS_WAIT_MS),
    connectWithin(connections.subscriber, STARTUP_REDIS_WAIT_MS),
  ]);
  if (!commandsReady) logger.warn('Redis is unreachable at start; serving from the disk snapshot until it returns');
  records.start();
  // Subscribed before the first load so no publish between the two is missed.
  connections.subscriber.subscribe(redisChannels.snapshotPublished, redisChannels.invalidate).catch((error: unknown) => {
    logger.warn('subscribe failed; will resubscribe on reconnect', { error: describeError(error) });
  });
  await snapshots.start(commandsReady);
  usage.start();
  wallet.startKeepAlive();
  services.health.start();
  services.retryBudget.start();

  const app = createApp(services);
  const server = createServer(app.callback());
  // GET /v1/realtime WebSocket upgrades (the Realtime proxy runs beside Koa, on the same server).
  const realtime = attachRealtimeProxy(server, services, { allowPrivateUpstreams: config.allowPrivateUpstreams });
  server.keepAliveTimeout = 65_000;
  let address: AddressInfo;
  try {
    address = await listen(server, config.host, config.port);
  } catch (error) {
    await services.health.stop();
    await services.retryBudget.stop();
    snapshots.stop();
    records.stop();
    wallet.stopKeepAlive();
    await usage.stop();
    await fetcher.close();
    await connections.close();
    throw error;
  }
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${address.port}`;

  let closing: Promise<void> | null = null;
  const close = async () => {
    // Stop accepting; idle keep-alive sockets go now, open requests may finish.
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Realtime sessions get a 1001 close and are settled before the HTTP drain.
    await realtime.close();
    const drained = await settleWithin(services.inFlight, DRAIN_GRACE_MS);
    if (!drained) {
      logger.warn('aborting streams still open after the drain grace period', { open: services.inFlight.size });
      for (const controller of services.activeUpstreams) controller.abort();
      await settleWithin(services.inFlight, 2_000);
    }
    server.closeAllConnections();
    await serverClosed;
    await services.health.stop();
    await services.retryBudget.stop();
    snapshots.stop();
    records.stop();
    wallet.stopKeepAlive();
    await usage.stop();
    await fetcher.close();
    await connections.close();
  };
  return {
    url,
    port: address.port,
    close: () => (closing ??= close()),
  };
}
