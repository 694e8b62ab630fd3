// API tokens: created with a random key shown once (sha256 stored), listed per owner, revoked.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { API_KEY_PREFIX } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import { isAdmin, type Actor } from '../actor';
import { isIP } from 'node:net';
import { readLimits } from '../setting/setting.service';
import { recordAudit } from '../audit/audit.service';
import { Role, User, UserStatus } from '../user/user.entity';
import { BalanceAlert } from './balance-alert.entity';
import type { CreateTokenInput, SetLowBalanceAlertInput, UpdateTokenQuotaInput, SetTokenLimitsInput, UpdateTokenAccessInput } from './token.input';
import { ApiToken, TokenStatus } from './token.entity';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_BODY_LENGTH = 48;

/** `sk-ng-` + 48 uniformly random base62 characters (rejection sampling keeps every character equally likely). */
export function generateApiKey(): string {
  let body = '';
  while (body.length < KEY_BODY_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && body.length < KEY_BODY_LENGTH) body += BASE62[byte % 62];
    }
  }
  return API_KEY_PREFIX + body;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function tokenSummary(token: ApiToken): Record<string, unknown> {
  return {
    id: token.id, name: token.name, keyPrefix: token.keyPrefix, status: token.status, expiresAt: token.expiresAt, models: token.models, userId: token.user.id,
    quota: token.quota, unlimitedQuota: token.unlimitedQuota,
  };
}

function readQuota(quota: number | null | undefined): number | null {
  if (quota === null || quota === undefined) return null;
  assertThat(Number.isSafeInteger(quota) && quota >= 0, 'BAD_USER_INPUT', 'quota must be a non-negative integer');
  return quota;
}

/** Usage billing: the SQL mirror of a key's spend (Redis holds the live remainder). Runs in the billing transaction. */
const GROUP_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_ALLOW_LIST = 100;

/** IP addresses and CIDR ranges, checked the way the data plane will read them (node:net BlockList). */
export function readIpAllowList(entries: string[]): string[] {
  const cleaned = [...new Set(entries.map((entry) => entry.trim()).filter((entry) => entry.length > 0))];
  assertThat(cleaned.length >= 1 && cleaned.length <= MAX_ALLOW_LIST, 'BAD_USER_INPUT', `give 1-${MAX_ALLOW_LIST} addresses or ranges (or null for any)`);
  for (const entry of cleaned) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const valid = family !== 0 && extra === undefined && (bits === null || (/^\d+$/.test(prefix ?? '') && bits >= 0 && bits <= (family === 4 ? 32 : 128)));
    assertThat(valid, 'BAD_USER_INPUT', `"${entry.slice(0, 60)}" is not an IP address or CIDR range`);
  }
  return cleaned;
}

export async function addTokenQuotaUsed(em: EntityManager, tokenId: string, amount: number): Promise<void> {
  if (!(em instanceof SqlEntityManager)) throw new Error('addTokenQuotaUsed needs an SQL entity manager');
  await em.execute('update "api_tokens" set "quota_used" = "quota_used" + ? where "id" = ?', [amount, tokenId]);
}

/**
 * Usage billing: one `balance.low` audit entry when this posting took the balance across the user's alert threshold
 * (from at/above to below). Runs in the billing transaction, so a retried job never alerts twice.
 */
export async function noteLowBalance(em: EntityManager, userId: string, balanceBefore: number, balanceAfter: number): Promise<boolean> {
  const alert = await em.findOne(BalanceAlert, { userId });
  if (!alert || !lowBalanceCrossed(alert.threshold, balanceBefore, balanceAfter)) return false;
  recordAudit(em, { actorId: null, action: 'balance.low', target: userId, after: { threshold: alert.threshold, balanceBefore, balanceAfter }, ip: null });
  await em.flush();
  return true;
}

export function lowBalanceCrossed(threshold: number, balanceBefore: number, balanceAfter: number): boolean {
  return balanceBefore >= threshold && balanceAfter < threshold;
}

export class TokenService {
  constructor(private readonly publisher: RedisPublisher) {}

  async createToken(em: EntityManager, actor: Actor, input: CreateTokenInput): Promise<{ token: ApiToken; key: string }> {
    const owner = actor.user;
    assertThat(owner, 'UNAUTHENTICATED', 'sign in first');
    const name = input.name.trim();
    assertThat(name.length >= 1 && name.length <= 128, 'BAD_USER_INPUT', 'name must be 1-128 characters');
    if (input.expiresAt) assertThat(input.expiresAt.getTime() > Date.now(), 'BAD_USER_INPUT', 'expiresAt must be in the future');
    let models: string[] | null = null;
    if (input.models) {
      models = [...new Set(input.models.map((model) => model.trim()))];
      assertThat(models.every((model) => model.length > 0 && model.length <= 255), 'BAD_USER_INPUT', 'models must be non-empty names');
    }
    const quota = readQuota(input.quota);
    const unlimitedQuota = input.unlimitedQuota ?? true;
    assertThat(unlimitedQuota || quota !== null, 'BAD_USER_INPUT', 'a quota-limited key needs a quota');
    const key = generateApiKey();
    return em.transactional(async (transaction) => {
      const token = transaction.create(ApiToken, {
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, API_KEY_PREFIX.length + 4),
        name,
        status: TokenStatus.ACTIVE,
        expiresAt: input.expiresAt ?? null,
        models,
        quota: quota ?? 0,
        unlimitedQuota,
        user: transaction.getReference(User, owner.id),
      });
      recordAudit(transaction, { actorId: owner.id, action: 'token.create', target: token.id, after: tokenSummary(token), ip: actor.ip });
      await transaction.flush();
      // Published inside the transaction: if Redis refuses, the token is not created and no key is handed out.
      await this.publisher.publishToken(token);
      return { token, key };
    });
  }

  /** Users see their own tokens; admins may look at another user's. */
  listTokens(em: EntityManager, actor: Actor, first: number, after: string | null | undefined, userId: string | null | undefined): Promise<Connection<ApiToken>> {
    assertThat(actor.user, 'UNAUTHENTICATED', 'sign in first');
    const ownerId = userId ?? actor.user.id;
    if (ownerId !== actor.user.id && !isAdmin(actor.user)) throw appError('FORBIDDEN', 'you can only list your own tokens');
    return paginate(em, ApiToken, { user: ownerId }, first, after);
  }

  /**
   * Sets a key's spending cap (owner or admin). Redis moves by the change, so spend in flight still counts. Read first,
   * then one write-only flush: an SQLite read-then-write transaction would fail at once beside a busy usage worker.
   */
  async updateTokenQuota(em: EntityManager, actor: Actor, input: UpdateTokenQuotaInput): Promise<ApiToken> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const quota = readQuota(input.quota);
    const token = await em.findOne(ApiToken, { id: input.id });
    // Someone else's token reads as missing, so ids cannot be probed.
    if (!token || (token.user.id !== caller.id && !isAdmin(caller))) throw appError('NOT_FOUND', 'token not found');
    const before = tokenSummary(token);
    const wasLimited = !token.unlimitedQuota;
    const oldQuota = token.quota;
    if (quota !== null) token.quota = quota;
    if (input.unlimitedQuota !== null && input.unlimitedQuota !== undefined) token.unlimitedQuota = input.unlimitedQuota;
    assertThat(token.unlimitedQuota || quota !== null || wasLimited, 'BAD_USER_INPUT', 'a quota-limited key needs a quota');
    recordAudit(em, { actorId: caller.id, action: 'token.quota', target: token.id, before, after: tokenSummary(token), ip: actor.ip });
    await em.flush();
    if (!token.unlimitedQuota) {
      const seed = Math.max(0, token.quota - token.quotaUsed);
      await this.publisher.adjustTokenQuota(token.id, wasLimited ? token.quota - oldQuota : 0, seed, !wasLimited);
    }
    await this.publisher.publishToken(token);
    return token;
  }

  /** Rate caps on one key (owner or admin); live on every data plane when this returns. */
  async setTokenLimits(em: EntityManager, actor: Actor, input: SetTokenLimitsInput): Promise<ApiToken> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const limits = readLimits(input.limits);
    const token = await em.findOne(ApiToken, { id: input.id });
    if (!token || (token.user.id !== caller.id && !isAdmin(caller))) throw appError('NOT_FOUND', 'token not found');
    const before = { limits: token.limits };
    token.limits = limits;
    recordAudit(em, { actorId: caller.id, action: 'token.limits', target: token.id, before, after: { limits }, ip: actor.ip });
    await em.flush();
    await this.publisher.publishToken(token);
    return token;
  }

  /** A key's routing group (admins) and IP allow-list (owner or admin). */
  async updateTokenAccess(em: EntityManager, actor: Actor, input: UpdateTokenAccessInput): Promise<ApiToken> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const token = await em.findOne(ApiToken, { id: input.id });
    if (!token || (token.user.id !== caller.id && !isAdmin(caller))) throw appError('NOT_FOUND', 'token not found');
    const before = { group: token.group, ipAllowList: token.ipAllowList };
    if (input.group !== undefined) {
      // A group picks routes and price multipliers: choosing one is an admin decision.
      if (!isAdmin(caller)) throw appError('FORBIDDEN', 'only admins set a key\'s group');
      assertThat(input.group === null || GROUP_PATTERN.test(input.group), 'BAD_USER_INPUT', 'group must be 1-64 letters, digits, _ . or -');
      token.group = input.group;
    }
    if (input.ipAllowList !== undefined) token.ipAllowList = input.ipAllowList === null ? null : readIpAllowList(input.ipAllowList);
    recordAudit(em, { actorId: caller.id, action: 'token.access', target: token.id, before, after: { group: token.group, ipAllowList: token.ipAllowList }, ip: actor.ip });
    await em.flush();
    await this.publisher.publishToken(token);
    return token;
  }

  /** Users set their own alert; admins anyone's. threshold null removes it. */
  async setLowBalanceAlert(em: EntityManager, actor: Actor, input: SetLowBalanceAlertInput): Promise<BalanceAlert | null> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const userId = input.userId ?? caller.id;
    if (userId !== caller.id && !isAdmin(caller)) throw appError('FORBIDDEN', 'you can only set your own alert');
    const threshold = readQuota(input.threshold);
    const existing = await em.findOne(BalanceAlert, { userId });
    if (threshold === null) {
      if (existing) em.remove(existing);
      recordAudit(em, { actorId: caller.id, action: 'balance_alert.remove', target: userId, ip: actor.ip });
      await em.flush();
      return null;
    }
    const alert = existing ?? em.create(BalanceAlert, { userId, threshold });
    alert.threshold = threshold;
    recordAudit(em, { actorId: caller.id, action: 'balance_alert.set', target: userId, after: { threshold }, ip: actor.ip });
    await em.flush();
    return alert;
  }

  lowBalanceAlert(em: EntityManager, actor: Actor, userId: string | null | undefined): Promise<BalanceAlert | null> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const ownerId = userId ?? caller.id;
    if (ownerId !== caller.id && !isAdmin(caller)) throw appError('FORBIDDEN', 'you can only see your own alert');
    return em.findOne(BalanceAlert, { userId: ownerId });
  }

  async revokeToken(em: EntityManager, actor: Actor, id: string): Promise<ApiToken> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    return em.transactional(async (transaction) => {
      const token = await transaction.findOne(ApiToken, { id });
      // Someone else's token reads as missing, so ids cannot be probed.
      if (!token || (token.user.id !== caller.id && !isAdmin(caller))) throw appError('NOT_FOUND', 'token not found');
      const before = tokenSummary(token);
      token.status = TokenStatus.REVOKED;
      recordAudit(transaction, { actorId: caller.id, action: 'token.revoke', target: token.id, before, after: tokenSummary(token), ip: actor.ip });
      await transaction.flush();
      await this.publisher.publishToken(token);
      return token;
    });
  }
}
