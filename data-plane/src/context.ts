// What each middleware adds to ctx.state (Logto's WithXContext pattern): routes declare the state they rely on.
import type { RouteTier, Snapshot, SnapshotPrice, TokenRecord, UsageEvent, UserRecord } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import type Koa from 'koa';
import type { Settlement } from './billing/settlement';
import type { UsageEmitter } from './billing/usage-emitter';
import type { WalletService } from './billing/wallet.service';
import type { RateLimiter } from './limits/rate-limiter';
import type { Metrics } from './observability/metrics';
import type { ChatRequest } from './providers/openai';
import type { ClientWire } from './relay/client-wire';
import type { UpstreamFetcher } from './relay/upstream-fetcher';
import type { ChannelHealth } from './resilience/channel-health';
import type { RetryBudget } from './resilience/retry-budget';
import type { SessionAffinity } from './resilience/session-affinity';
import type { RecordCache } from './snapshot/record-cache';
import type { SnapshotStore } from './snapshot/snapshot-store';

/** Everything long-lived the request path uses, built once by startDataPlane. */
export interface DataPlaneServices {
  snapshots: SnapshotStore;
  records: RecordCache;
  wallet: WalletService;
  usage: UsageEmitter;
  fetcher: UpstreamFetcher;
  metrics: Metrics;
  redis: Redis;
  /** False only with BILLING=off (measurement): no reserve, settle or usage event. */
  billing: boolean;
  /** A `: ping` comment after this long without a stream write (0 = off). */
  streamPingIntervalMs: number;
  /** Requests whose money is still open (streams in flight); shutdown waits for them. */
  inFlight: Set<Promise<unknown>>;
  /** Upstream calls in flight; shutdown aborts them after the drain grace period. */
  activeUpstreams: Set<AbortController>;
  /** Breaker states and disabled keys in memory, synced with Redis once a second. */
  health: ChannelHealth;
  retryBudget: RetryBudget;
  affinity: SessionAffinity;
  /** RPM / TPM / concurrency caps (Redis Lua, shared by nodes). */
  limiter: RateLimiter;
}

export interface RequestIdState {
  requestId: string;
  startedAt: number;
  /** Set by routes whose callers do not speak OpenAI (e.g. /v1/messages); absent = OpenAI. */
  clientWire?: ClientWire;
}

export interface SnapshotState {
  /** Pinned at the start of the request so one request sees one snapshot. */
  snapshot: Snapshot;
}

export interface AuthState {
  auth: { keyHash: string; token: TokenRecord; user: UserRecord; group: string; clientIp: string };
}

export interface BodyState {
  body: { json: Record<string, unknown>; bytes: number };
}

/** Governance rules that matched this request (set by koa-governance; copied onto the settlement by koa-reserve). */
export interface GovernanceState {
  governance?: { hits: UsageEvent['governanceHits']; tags: string[] };
}

export interface ChatState {
  chat: {
    request: ChatRequest;
    model: string;
    stream: boolean;
    clientWantsUsage: boolean;
    price: SnapshotPrice | null;
    multiplier: number;
    tiers: RouteTier[];
  };
}

export interface ReserveState {
  settlement: Settlement;
}

export interface LimitsState {
  /** Set by koa-limits when a caller cap applies: the relay reports the actual tokens so the TPM count gets corrected. */
  limitUsage?: { estimatedTokens: number; actualTokens: number | null };
}

export type RelayState = RequestIdState & SnapshotState & AuthState & BodyState & GovernanceState & ChatState & ReserveState & LimitsState;

export type StateMiddleware<StateT> = Koa.Middleware<StateT>;
