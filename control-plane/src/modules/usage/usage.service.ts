// Usage logs, newest first: users see their own, admins everyone's (or one user's).
import type { EntityManager } from '@mikro-orm/core';
import { paginate, type Connection } from '../../graphql/pagination';
import { visibleOwnerId, type Actor } from '../actor';
import { UsageLog } from './usage-log.entity';
import { summariseUsage, validateDayRange, type UsageSummaryInput, type UsageSummaryRow } from './usage-summary';

export class UsageService {
  listUsageLogs(em: EntityManager, actor: Actor, first: number, after: string | null | undefined, userId: string | null | undefined): Promise<Connection<UsageLog>> {
    const ownerId = visibleOwnerId(actor, userId, 'usage');
    return paginate(em, UsageLog, ownerId ? { userId: ownerId } : {}, first, after);
  }

  summary(em: EntityManager, actor: Actor, input: UsageSummaryInput): Promise<UsageSummaryRow[]> {
    const ownerId = visibleOwnerId(actor, input.userId, 'usage');
    validateDayRange(input);
    return summariseUsage(em, ownerId, input.from, input.to);
  }
}
