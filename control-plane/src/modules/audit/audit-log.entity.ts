// Who changed what: one row per mutation, with secrets removed from before/after; hash-chained once sealed.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'audit_logs' })
@Index({ properties: ['createdAt'] })
export class AuditLog {
  [OptionalProps]?: 'id' | 'actorId' | 'target' | 'before' | 'after' | 'ip' | 'createdAt' | 'sequence' | 'prevHash' | 'hash';

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

  /** Hash-chain position, set by the audit sealer shortly after the row is written (null until then). */
  @Property({ type: new BigIntType('number'), nullable: true, unique: true })
  sequence: number | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  prevHash: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  hash: string | null = null;
}
