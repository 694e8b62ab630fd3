// Console sign-in: password check, session tokens (only their sha256 is stored), lookup per request.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { appError } from '../../graphql/errors';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { dummyPasswordHash, verifyPassword } from '../user/password';
import { User, UserStatus } from '../user/user.entity';
import { Session } from './session.entity';

export const SESSION_COOKIE = 'ng_session';
const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionService {
  async login(em: EntityManager, actor: Actor, username: string, password: string): Promise<{ user: User; sessionToken: string; expiresAt: Date }> {
    const user = username.length <= 64 ? await em.findOne(User, { username }) : null;
    // Unknown users are checked against a dummy hash so both failures take about as long and say the same thing.
    const passwordMatches = await verifyPassword(password.slice(0, 256), user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !passwordMatches || user.status !== UserStatus.ACTIVE) {
      recordAudit(em, { actorId: user?.id ?? null, action: 'session.login-failed', target: username.slice(0, 64), ip: actor.ip });
      await em.flush();
      throw appError('UNAUTHENTICATED', 'invalid username or password');
    }
    const sessionToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    em.create(Session, { tokenHash: hashSessionToken(sessionToken), user, expiresAt, createdAt: new Date() });
    recordAudit(em, { actorId: user.id, action: 'session.login', target: user.id, ip: actor.ip });
    await em.flush();
    return { user, sessionToken, expiresAt };
  }

  async logout(em: EntityManager, actor: Actor, sessionToken: string | null): Promise<void> {
    if (sessionToken !== null) await em.nativeDelete(Session, { tokenHash: hashSessionToken(sessionToken) });
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'session.logout', target: actor.user?.id ?? null, ip: actor.ip });
    await em.flush();
  }

  /** The active user behind a session token, or null (unknown, expired, or user disabled). */
  async authenticate(em: EntityManager, sessionToken: string): Promise<User | null> {
    if (sessionToken.length === 0 || sessionToken.length > 128) return null;
    const session = await em.findOne(Session, { tokenHash: hashSessionToken(sessionToken) }, { populate: ['user'] });
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await em.nativeDelete(Session, { id: session.id });
      return null;
    }
    return session.user.status === UserStatus.ACTIVE ? session.user : null;
  }
}
