// The fallback while Redis is unreachable: the same caps, counted by this node alone. A per-node count lets N nodes
// admit up to N times a cap during an outage; that is still a bound, where admitting everything would not be one, and
// refusing everything would turn a Redis outage into a gateway outage.
import type { Limits } from '@nebulagate/schema';
import type { LimitScope } from './limit-scopes';

const WINDOW_MS = 60_000;
/** Scopes tracked at once; beyond it, expired windows are dropped first. */
const MAX_SCOPES = 50_000;

interface LocalWindow {
  startedAt: number;
  requests: number;
  tokens: number;
  inFlight: number;
}

export type LocalRefusal = { scope: string; kind: 'rpm' | 'tpm' | 'concurrency'; retryAfterMs: number };

export class LocalLimiter {
  private readonly windows = new Map<string, LocalWindow>();

  constructor(private readonly now: () => number = Date.now) {}

  private windowOf(scope: string, now: number): LocalWindow {
    let window = this.windows.get(scope);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      // A new minute keeps the requests still in flight (concurrency is not a per-minute count).
      window = { startedAt: now, requests: 0, tokens: 0, inFlight: window?.inFlight ?? 0 };
      if (this.windows.size >= MAX_SCOPES) this.dropExpired(now);
      this.windows.set(scope, window);
    }
    return window;
  }

  private dropExpired(now: number): void {
    for (const [scope, window] of this.windows) if (now - window.startedAt >= WINDOW_MS && window.inFlight === 0) this.windows.delete(scope);
  }

  /** All or nothing, like the Redis script; null = admitted (call release once when the request ends). */
  admit(scopes: readonly LimitScope[], estimatedTokens: number): LocalRefusal | null {
    const now = this.now();
    const windows = scopes.map((scope) => [scope, this.windowOf(scope.name, now)] as const);
    for (const [scope, window] of windows) {
      const refusal = refusalOf(scope.name, scope.limits, window, now);
      if (refusal) return refusal;
    }
    for (const [scope, window] of windows) {
      if (scope.limits.requestsPerMinute !== null) window.requests += 1;
      if (scope.limits.tokensPerMinute !== null) window.tokens += estimatedTokens;
      if (scope.limits.concurrentRequests !== null) window.inFlight += 1;
    }
    return null;
  }

  release(scopes: readonly LimitScope[], tokenCorrection: number): void {
    for (const scope of scopes) {
      const window = this.windows.get(scope.name);
      if (!window) continue;
      if (scope.limits.concurrentRequests !== null) window.inFlight = Math.max(0, window.inFlight - 1);
      if (scope.limits.tokensPerMinute !== null) window.tokens = Math.max(0, window.tokens + tokenCorrection);
    }
  }
}

function refusalOf(scope: string, limits: Limits, window: LocalWindow, now: number): LocalRefusal | null {
  const retryAfterMs = Math.max(1, WINDOW_MS - (now - window.startedAt));
  if (limits.requestsPerMinute !== null && window.requests >= limits.requestsPerMinute) return { scope, kind: 'rpm', retryAfterMs };
  if (limits.tokensPerMinute !== null && window.tokens >= limits.tokensPerMinute) return { scope, kind: 'tpm', retryAfterMs };
  if (limits.concurrentRequests !== null && window.inFlight >= limits.concurrentRequests) return { scope, kind: 'concurrency', retryAfterMs: 1000 };
  return null;
}
