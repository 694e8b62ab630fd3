// Usage logs, newest first: users see their own, admins everyone's (or one user's).
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { appError, assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { Actor } from '../actor';
import { isAdmin } from '../token/token.service';
import { UsageLog } from './usage-log.entity';

export class UsageService {
  listUsageLogs(em: EntityManager, actor: Actor, first: number, after: string | null | undefined, userId: string | null | undefined): Promise<Connection<UsageLog>> {
    assertThat(actor.user, 'UNAUTHENTICATED', 'sign in first');
    let where: FilterQuery<UsageLog> = {};
    if (isAdmin(actor.user)) {
      if (userId) where = { userId };
    } else {
      if (userId && userId !== actor.user.id) throw appError('FORBIDDEN', 'you can only see your own usage');
      where = { userId: actor.user.id };
    }
    return paginate(em, UsageLog, where, first, after);
  }
}
