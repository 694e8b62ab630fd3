// Realtime proxy settings from environment variables (documented in the README's configuration table).
import { RESERVATION_LIFETIME_MS } from '../billing/wallet.service';

export interface RealtimeSettings {
  /**
   * `REALTIME_SESSION_RESERVE_TOKENS` (default 32768): a session reserves the price of this many input tokens plus this
   * many output tokens, and ends (error event + close 1008) when what is left would not cover another response.
   */
  sessionReserveTokens: number;
  /** `REALTIME_CONNECT_TIMEOUT_MS` (default 10000): upstream TCP + TLS + WebSocket handshake. */
  connectTimeoutMs: number;
  /** `REALTIME_KEEPALIVE_MS` (default 30000): ping both sides this often; a side that missed a pong is cut. */
  keepaliveIntervalMs: number;
  /** Largest frame accepted from either side (16 MiB). */
  maxPayloadBytes: number;
  /** Sessions end before the sweeper could resolve their reservation. */
  maxDurationMs: number;
}

function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function readRealtimeSettings(env: NodeJS.ProcessEnv): RealtimeSettings {
  return {
    sessionReserveTokens: positiveInteger(env.REALTIME_SESSION_RESERVE_TOKENS, 32_768),
    connectTimeoutMs: positiveInteger(env.REALTIME_CONNECT_TIMEOUT_MS, 10_000),
    keepaliveIntervalMs: positiveInteger(env.REALTIME_KEEPALIVE_MS, 30_000),
    maxPayloadBytes: 16 * 1024 * 1024,
    maxDurationMs: RESERVATION_LIFETIME_MS - 2 * 60 * 1000,
  };
}
