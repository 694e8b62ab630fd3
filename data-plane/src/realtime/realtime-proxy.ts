// GET /v1/realtime (and /hf/v1/realtime) upgraded to a WebSocket and proxied to an OpenAI-type channel. Only the
// 'upgrade' listener is installed at start: the proxy (ws, sessions, upstream connect) is loaded on the first upgrade,
// so a data plane that never serves the Realtime API does not carry it in memory (~2.5 MB of idle RSS).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DataPlaneServices } from '../context';
import { describeError, logger } from '../observability/logger';
import type { RealtimeSettings } from './realtime-settings';
import type { RealtimeUpgradeHandler } from './realtime-upgrade-handler';

export interface RealtimeProxyOptions {
  allowPrivateUpstreams: boolean;
  /** Read per session (default: process.env) so a changed setting applies to the next session. */
  readSettings?: () => RealtimeSettings;
}

export interface RealtimeProxy {
  readonly openSessions: number;
  /** Refuses new upgrades, aborts handshakes in progress, closes open sessions (1001) and waits until all are settled. */
  close(): Promise<void>;
}

export function attachRealtimeProxy(server: Server, services: DataPlaneServices, options: RealtimeProxyOptions): RealtimeProxy {
  let handler: RealtimeUpgradeHandler | null = null;
  let loading: Promise<RealtimeUpgradeHandler> | null = null;
  let closing = false;
  /** Upgrades that arrived while the proxy was loading; their sockets wait unread (Node leaves them paused). */
  const waiting = new Set<Duplex>();
  const load = () =>
    (loading ??= import('./realtime-upgrade-handler').then((module) => {
      handler = module.createRealtimeUpgradeHandler(services, options);
      return handler;
    }));

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (handler) {
      handler.onUpgrade(request, socket, head);
      return;
    }
    waiting.add(socket);
    load().then(
      (loaded) => {
        if (!waiting.delete(socket)) return;
        if (closing) socket.destroy();
        else loaded.onUpgrade(request, socket, head);
      },
      (error: unknown) => {
        waiting.delete(socket);
        logger.error('the realtime proxy failed to load', { error: describeError(error) });
        socket.destroy();
      },
    );
  };
  server.on('upgrade', onUpgrade);

  return {
    get openSessions() {
      return handler?.openSessions ?? 0;
    },
    async close() {
      closing = true;
      server.off('upgrade', onUpgrade);
      for (const socket of waiting) socket.destroy();
      waiting.clear();
      const loaded = loading ? await loading.catch(() => null) : null;
      await loaded?.close();
    },
  };
}
