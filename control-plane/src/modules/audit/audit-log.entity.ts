// Who changed what: one row per mutation, with secrets removed from before/after.
import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'audit_logs' })
@Index({ properties: ['createdAt'] })
export class AuditLog {
  [OptionalProps]?: 'id' | 'actorId' | 'target' | 'before' | 'after' | 'ip' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, nullable: true })
  actorId: string | null = null;

  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  target: string | null = null;

  @Property({ type: 'json', nullable: true })
  before: Record<string, unknown> | null = null;

  @Property({ type: 'json', nullable: true })
  after: Record<string, unknown> | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
