// API tokens: created with a random key shown once (sha256 stored), listed per owner, revoked.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { API_KEY_PREFIX } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import { isAdmin, type Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { Role, User, UserStatus } from '../user/user.entity';
import type { CreateTokenInput } from './token.input';
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
  return { id: token.id, name: token.name, keyPrefix: token.keyPrefix, status: token.status, expiresAt: token.expiresAt, models: token.models, userId: token.user.id };
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
    const key = generateApiKey();
    return em.transactional(async (transaction) => {
      const token = transaction.create(ApiToken, {
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, API_KEY_PREFIX.length + 4),
        name,
        status: TokenStatus.ACTIVE,
        expiresAt: input.expiresAt ?? null,
        models,
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
