// Users: creation (with role rules), the first root account, listing.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { hashPassword } from './password';
import { Session } from '../session/session.entity';
import { readLimits } from '../setting/setting.service';
import type { CreateUserInput, UpdateUserInput } from './user.input';
import { Role, User, UserStatus } from './user.entity';

const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,64}$/;
const GROUP_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
// One @, a dot in the domain, nothing that could split a header or an address list. Deliverability is the SMTP server's call.
const EMAIL_PATTERN = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/;

/** A trimmed e-mail address, or null when none was given; throws BAD_USER_INPUT for anything that is not one. */
export function readEmailAddress(value: string | null | undefined): string | null {
  const email = value?.trim() ?? '';
  if (email === '') return null;
  assertThat(email.length <= 254 && EMAIL_PATTERN.test(email), 'BAD_USER_INPUT', 'email must be an e-mail address');
  return email;
}

export function userSummary(user: User): Record<string, unknown> {
  return { id: user.id, username: user.username, email: user.email, role: user.role, group: user.group, status: user.status, balance: user.balance };
}

export class UserService {
  constructor(private readonly publisher: RedisPublisher) {}

  async createUser(em: EntityManager, actor: Actor, input: CreateUserInput): Promise<User> {
    const role = input.role ?? Role.USER;
    const group = input.group ?? 'default';
    assertThat(USERNAME_PATTERN.test(input.username), 'BAD_USER_INPUT', 'username must be 3-64 letters, digits, _ . or -');
    assertThat(input.password.length >= 8 && input.password.length <= 256, 'BAD_USER_INPUT', 'password must be 8-256 characters');
    assertThat(GROUP_PATTERN.test(group), 'BAD_USER_INPUT', 'group must be 1-64 letters, digits, _ . or -');
    // Only root hands out admin or root: an admin cannot mint a peer or a superior.
    if (role !== Role.USER && actor.user?.role !== Role.ROOT) throw appError('FORBIDDEN', 'only root can create admins');
    const email = readEmailAddress(input.email);
    const passwordHash = await hashPassword(input.password);
    try {
      return await em.transactional(async (transaction) => {
        const user = transaction.create(User, { username: input.username, passwordHash, email, role, group, status: UserStatus.ACTIVE, balance: 0 });
        recordAudit(transaction, { actorId: actor.user?.id ?? null, action: 'user.create', target: user.id, after: userSummary(user), ip: actor.ip });
        await transaction.flush();
        await this.publisher.publishUser(user);
        return user;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw appError('CONFLICT', 'username is taken');
      throw error;
    }
  }

  /**
   * Admin changes to a user: role (root only, never one's own), group, status (never one's own), password, limits, e-mail.
   * The user record on the data planes follows before this returns; a password change or a disable ends sessions.
   */
  async updateUser(em: EntityManager, actor: Actor, input: UpdateUserInput): Promise<User> {
    const caller = actor.user;
    assertThat(caller, 'UNAUTHENTICATED', 'sign in first');
    const user = await em.findOne(User, { id: input.id });
    assertThat(user, 'NOT_FOUND', 'user not found');
    // Admins manage users; only root manages admins and roots.
    if (user.role !== Role.USER && caller.role !== Role.ROOT) throw appError('FORBIDDEN', 'only root can change an admin');
    const before = { ...userSummary(user), limits: user.limits };
    if (input.role !== null && input.role !== undefined && input.role !== user.role) {
      if (caller.role !== Role.ROOT) throw appError('FORBIDDEN', 'only root can change roles');
      assertThat(user.id !== caller.id, 'BAD_USER_INPUT', 'you cannot change your own role');
      user.role = input.role;
    }
    if (input.group !== null && input.group !== undefined) {
      assertThat(GROUP_PATTERN.test(input.group), 'BAD_USER_INPUT', 'group must be 1-64 letters, digits, _ . or -');
      user.group = input.group;
    }
    let endSessions = false;
    if (input.status !== null && input.status !== undefined && input.status !== user.status) {
      assertThat(user.id !== caller.id, 'BAD_USER_INPUT', 'you cannot disable yourself');
      user.status = input.status;
      endSessions = input.status === UserStatus.DISABLED;
    }
    if (input.password !== null && input.password !== undefined) {
      assertThat(input.password.length >= 8 && input.password.length <= 256, 'BAD_USER_INPUT', 'password must be 8-256 characters');
      user.passwordHash = await hashPassword(input.password);
      endSessions = true;
    }
    if (input.limits !== undefined) user.limits = input.limits === null ? null : readLimits(input.limits);
    if (input.email !== undefined) user.email = readEmailAddress(input.email);
    recordAudit(em, {
      actorId: caller.id, action: 'user.update', target: user.id, before,
      after: { ...userSummary(user), limits: user.limits, passwordChanged: input.password !== null && input.password !== undefined }, ip: actor.ip,
    });
    if (endSessions) await em.nativeDelete(Session, { user: user.id });
    await em.flush();
    await this.publisher.publishUser(user);
    return user;
  }

  listUsers(em: EntityManager, first: number, after: string | null | undefined): Promise<Connection<User>> {
    return paginate(em, User, {}, first, after);
  }

  /**
   * First start: make sure a root exists. With ADMIN_PASSWORD it gets that password; otherwise a generated one,
   * returned once and written to <dataDir>/initial-root-password (0600). There is never a default password.
   */
  async ensureRootUser(em: EntityManager, adminPassword: string | null, dataDir: string): Promise<string | null> {
    const existing = await em.count(User, { role: Role.ROOT });
    if (existing > 0) return null;
    const password = adminPassword ?? randomBytes(18).toString('base64url');
    const root = em.create(User, { username: 'root', passwordHash: await hashPassword(password), role: Role.ROOT, group: 'default', status: UserStatus.ACTIVE, balance: 0 });
    recordAudit(em, { actorId: null, action: 'user.bootstrap-root', target: root.id, after: userSummary(root), ip: null });
    await em.flush();
    if (adminPassword !== null) return null;
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'initial-root-password');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return password;
  }
}
