// API-key auth. The key may come in Authorization: Bearer, x-api-key, x-goog-api-key or ?key=; every source gets
// the same checks: token record by sha256(key) (cache <- Redis), status, expiry, IP allow-list, user status, group.
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { TokenRecord } from '@nebulagate/schema';
import type { AuthState, StateMiddleware } from '../context';
import { assertThat, RelayError } from '../relay/relay-error';
import type { RecordCache } from '../snapshot/record-cache';
import type Koa from 'koa';

export function extractApiKey(ctx: Pick<Koa.Context, 'get' | 'query'>): string | null {
  const authorization = ctx.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1]?.trim() || null;
  }
  const headerKey = ctx.get('x-api-key') || ctx.get('x-goog-api-key');
  if (headerKey) return headerKey.trim() || null;
  const queryKey = ctx.query.key;
  if (typeof queryKey === 'string' && queryKey.trim()) return queryKey.trim();
  return null;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** "::ffff:1.2.3.4" -> "1.2.3.4" so IPv4 allow-list entries match IPv4 clients on dual-stack sockets. */
export function normaliseIp(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

const allowListCache = new WeakMap<TokenRecord, BlockList>();

function allowListFor(token: TokenRecord, entries: string[]): BlockList {
  let list = allowListCache.get(token);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [network, prefixText] = entry.trim().split('/');
      if (!network) continue;
      const family = isIP(network);
      if (family === 0) continue;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefixText === undefined) list.addAddress(network, type);
      else if (/^\d+$/.test(prefixText)) list.addSubnet(network, Number(prefixText), type);
    }
    allowListCache.set(token, list);
  }
  return list;
}

export function ipAllowed(token: TokenRecord, clientIp: string): boolean {
  if (token.ipAllowList === null) return true;
  const family = isIP(clientIp);
  if (family === 0) return false;
  return allowListFor(token, token.ipAllowList).check(clientIp, family === 4 ? 'ipv4' : 'ipv6');
}

/** The checks every key source gets; also used by the realtime WebSocket upgrade, which runs outside Koa. */
export async function authenticateApiKey(records: RecordCache, key: string | null, requestIp: string): Promise<AuthState['auth']> {
  assertThat(key, 'invalid_api_key', 'You didn’t provide an API key. Send it as "Authorization: Bearer <key>".');
  const keyHash = hashKey(key);
  const token = await records.token(keyHash);
  assertThat(token, 'invalid_api_key', 'Incorrect API key provided.');
  assertThat(token.status === 'active', 'invalid_api_key', 'This API key has been revoked or disabled.');
  if (token.expiresAt !== null && token.expiresAt <= Date.now()) throw new RelayError('token_expired', 'This API key has expired.');
  const clientIp = normaliseIp(requestIp);
  assertThat(ipAllowed(token, clientIp), 'permission_denied', 'This API key may not be used from your IP address.');
  const user = await records.user(token.userId);
  assertThat(user, 'invalid_api_key', 'Incorrect API key provided.');
  assertThat(user.status === 'active', 'permission_denied', 'The account that owns this API key is disabled.');
  return { keyHash, token, user, group: token.group ?? user.group, clientIp };
}

export function koaAuth(records: RecordCache): StateMiddleware<AuthState> {
  return async (ctx, next) => {
    ctx.state.auth = await authenticateApiKey(records, extractApiKey(ctx), ctx.request.ip);
    await next();
  };
}
