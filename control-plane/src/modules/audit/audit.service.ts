// Writes one audit row per mutation. Secrets (keys, password hashes, sealed keys) never reach before/after.
import type { EntityManager } from '@mikro-orm/core';
import { AuditLog } from './audit-log.entity';

const SECRET_FIELDS = /(password|secret|sealed|keyhash|^key$|^keys$|token$|sessiontoken)/i;

export function scrubSecrets(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (value === null) return null;
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (SECRET_FIELDS.test(name)) continue;
    result[name] = field instanceof Date ? field.toISOString() : field;
  }
  return result;
}

export interface AuditEntry {
  actorId: string | null;
  action: string;
  target?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip: string | null;
}

/** Persists (without flushing) so the row commits in the same transaction as the change it describes. */
export function recordAudit(em: EntityManager, entry: AuditEntry): AuditLog {
  const row = em.create(AuditLog, {
    actorId: entry.actorId,
    action: entry.action,
    target: entry.target ?? null,
    before: scrubSecrets(entry.before ?? null),
    after: scrubSecrets(entry.after ?? null),
    ip: entry.ip,
    createdAt: new Date(),
  });
  em.persist(row);
  return row;
}
