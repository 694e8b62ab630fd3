// The two Redis connections of a data-plane node. The request path fails fast (no offline queue, short timeouts) so
// an unreachable Redis answers 503 at once instead of hanging; pub/sub gets its own connection.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnections {
  /** Request path: token/user reads, Lua reserve/settle (with the usage event), snapshot reads, spool replay. */
  commands: Redis;
  /** Pub/sub only (a subscribed connection cannot run other commands). */
  subscriber: Redis;
  close(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;

function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, 2_000);
}

export function createRedisConnections(redisUrl: string): RedisConnections {
  const base: RedisOptions = { connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: reconnectDelay, lazyConnect: true };
  const commands = new Redis(redisUrl, {
    ...base,
    connectionName: 'ng-data-plane-commands',
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // enableAutoPipelining was tried and measured (bench --profile, 2026-11-23): ioredis self time went from ~28 to
    // ~50 µs per request plus more GC, because concurrent requests rarely issue their commands in the same tick, so
    // each command paid for a one-command Pipeline. Left off on purpose.
  });
  const subscriber = new Redis(redisUrl, { ...base, connectionName: 'ng-data-plane-subscriber', maxRetriesPerRequest: null });
  // Errors surface through command failures; without listeners ioredis would print every reconnect attempt.
  for (const connection of [commands, subscriber]) connection.on('error', () => undefined);
  return {
    commands,
    subscriber,
    async close() {
      await Promise.all(
        [commands, subscriber].map(async (connection) => {
          try {
            if (connection.status === 'ready') await connection.quit();
            else connection.disconnect();
          } catch {
            connection.disconnect();
          }
        }),
      );
    },
  };
}

/** Resolves when the connection is ready or after `timeoutMs`, whichever comes first; never throws. */
export async function connectWithin(connection: Redis, timeoutMs: number): Promise<boolean> {
  if (connection.status === 'ready') return true;
  if (connection.status === 'wait') connection.connect().catch(() => undefined);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    connection.once('ready', onReady);
  });
}
