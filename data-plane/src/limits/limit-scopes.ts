// Which caps apply to one request: per token (its record), per user (its record, else the snapshot's default for the
// user's group) and per client IP (snapshot settings). A scope without any cap is left out, so an unlimited request
// costs no Redis call at all.
import type { Limits, Snapshot, TokenRecord, UserRecord } from '@nebulagate/schema';

export interface LimitScope {
  /** Redis scope name, e.g. `token:<id>` (see redisKeys.limit). */
  name: string;
  limits: Limits;
}

export function hasAnyLimit(limits: Limits | null | undefined): limits is Limits {
  return !!limits && (limits.requestsPerMinute !== null || limits.tokensPerMinute !== null || limits.concurrentRequests !== null);
}

export function requestLimitScopes(snapshot: Snapshot, token: TokenRecord, user: UserRecord, clientIp: string): LimitScope[] {
  const scopes: LimitScope[] = [];
  if (hasAnyLimit(token.limits)) scopes.push({ name: `token:${token.id}`, limits: token.limits });
  const userLimits = user.limits ?? snapshot.settings.limits.groupDefaults[user.group] ?? null;
  if (hasAnyLimit(userLimits)) scopes.push({ name: `user:${user.id}`, limits: userLimits });
  const ipLimits = snapshot.settings.limits.perIp;
  if (hasAnyLimit(ipLimits)) scopes.push({ name: `ip:${clientIp}`, limits: ipLimits });
  return scopes;
}

export function channelLimitScope(channelId: string, limits: Limits): LimitScope | null {
  return hasAnyLimit(limits) ? { name: `channel:${channelId}`, limits } : null;
}
