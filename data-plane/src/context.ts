// What each middleware adds to ctx.state (Logto's WithXContext pattern): routes declare the state they rely on.
import type { RouteTier, Snapshot, SnapshotPrice, TokenRecord, UserRecord } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import type Koa from 'koa';
import type { Settlement } from './billing/settlement';
import type { UsageEmitter } from './billing/usage-emitter';
import type { WalletService } from './billing/wallet.service';
import type { Metrics } from './observability/metrics';
import type { ChatRequest } from './providers/openai';
import type { ClientWire } from './relay/client-wire';
import type { UpstreamFetcher } from './relay/upstream-fetcher';
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
  /** Requests whose money is still open (streams in flight); shutdown waits for them. */
  inFlight: Set<Promise<unknown>>;
  /** Upstream calls in flight; shutdown aborts them after the drain grace period. */
  activeUpstreams: Set<AbortController>;
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

export type RelayState = RequestIdState & SnapshotState & AuthState & BodyState & ChatState & ReserveState;

export type StateMiddleware<StateT> = Koa.Middleware<StateT>;
