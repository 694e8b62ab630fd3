// The reconcile job: once the usage queue has drained, prove Redis spendable == SQL per user (wallet and plan
// allowance) and report drift as the job result and a log line. The comparison itself lives in the control plane
// (modules/plan/money-reconcile.ts), shared with the admin GraphQL query.
import type { MikroORM } from '@mikro-orm/core';
import { reconcileBalances, type MoneyDrift } from '@nebulagate/control-plane';
import type { Redis } from 'ioredis';

export { driftOf } from '@nebulagate/control-plane';
export type { MoneyDrift } from '@nebulagate/control-plane';

export type ReconcileResult =
  | { outcome: 'not-drained'; pendingUsageJobs: number }
  | { outcome: 'checked'; users: number; drifts: MoneyDrift[] };

export interface ReconcileDependencies {
  orm: MikroORM;
  redis: Redis;
  /** Usage jobs still waiting or running; reconciliation only means something at zero. */
  pendingUsageJobs: () => Promise<number>;
  log?: (message: string) => void;
}

export async function reconcileMoney(dependencies: ReconcileDependencies): Promise<ReconcileResult> {
  const pending = await dependencies.pendingUsageJobs();
  if (pending > 0) return { outcome: 'not-drained', pendingUsageJobs: pending };
  const result = await reconcileBalances({
    fork: () => dependencies.orm.em.fork(),
    redis: dependencies.redis,
    log: dependencies.log ?? ((message: string) => process.stderr.write(`[workers] ${message}\n`)),
  });
  return { outcome: 'checked', ...result };
}
