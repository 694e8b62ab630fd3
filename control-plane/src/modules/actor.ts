// Who is calling a service: the signed-in user (or nobody) and the client address, for checks and audit rows.
import { appError, assertThat } from '../graphql/errors';
import { Role, type User } from './user/user.entity';

export interface Actor {
  user: User | null;
  ip: string | null;
}

export function isAdmin(user: User | null): boolean {
  return user !== null && (user.role === Role.ADMIN || user.role === Role.ROOT);
}

/**
 * Which user's rows a list query may show: admins anyone's (or everyone's when no userId is given), users only their
 * own. Returns the user id to filter by, or null for "all rows".
 */
export function visibleOwnerId(actor: Actor, requestedUserId: string | null | undefined, what: string): string | null {
  assertThat(actor.user, 'UNAUTHENTICATED', 'sign in first');
  if (isAdmin(actor.user)) return requestedUserId ?? null;
  if (requestedUserId && requestedUserId !== actor.user.id) throw appError('FORBIDDEN', `you can only see your own ${what}`);
  return actor.user.id;
}
