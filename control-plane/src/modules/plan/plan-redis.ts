// The Redis half of plans: the scope set the reserve script checks, and allowance moves that follow SQL postings.
import { QUEUES, redisKeys } from '@nebulagate/schema';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Plan } from './plan.entity';

// KEYS: plan allowance, applied marker. ARGV: delta, seed (SQL allowance after the move), marker ttl seconds.
// The marker makes a retried move a no-op; a missing allowance key is seeded from SQL (same rule as the wallet).
const APPLY_SCRIPT = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[3])) == false then return {0, 0} end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, tonumber(ARGV[2])}
`;

/** Markers outlive any period, so a job retried late still sees that it already moved Redis. */
const MARKER_TTL_SECONDS = 40 * 24 * 3600;

/** The members of the scope set: `m:*` / `m:<model>` and `g:*` / `g:<group>`. */
export function planScopeMembers(plan: Pick<Plan, 'models' | 'groups'>): string[] {
  const models = plan.models === null ? ['m:*'] : plan.models.map((model) => `m:${model}`);
  const groups = plan.groups === null ? ['g:*'] : plan.groups.map((group) => `g:${group}`);
  return [...models, ...groups];
}

export class PlanRedis {
  private usageQueue: Queue | null = null;

  constructor(readonly redis: Redis) {}

  /**
   * Usage not yet billed: events still in the usage stream (not yet forwarded) plus usage jobs waiting, running or
   * delayed. Reconciliation means something only at zero.
   */
  async pendingUsageJobs(): Promise<number> {
    this.usageQueue ??= new Queue(QUEUES.usage, { connection: this.redis });
    const [counts, streamed] = await Promise.all([
      this.usageQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
      this.redis.xlen(redisKeys.usageStream),
    ]);
    return streamed + Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  /** Replaces the user's plan scope; null (no plan, or an inactive one) = the allowance pays for nothing. */
  async publishScope(userId: string, plan: Pick<Plan, 'models' | 'groups' | 'active'> | null): Promise<void> {
    const key = redisKeys.planScope(userId);
    const transaction = this.redis.multi().del(key);
    const members = plan && plan.active ? planScopeMembers(plan) : [];
    // An empty model or group list still needs a member so the key exists and nothing matches.
    if (plan && plan.active) transaction.sadd(key, ...members, 'x:active');
    await transaction.exec();
  }

  /** Moves the Redis allowance by `delta` once per `markerKey`; returns false when it had already been applied. */
  async applyOnce(userId: string, markerKey: string, delta: number, seed: number): Promise<boolean> {
    const reply = (await this.redis.eval(APPLY_SCRIPT, 2, redisKeys.planAllowance(userId), markerKey, String(delta), String(seed), String(MARKER_TTL_SECONDS))) as unknown;
    return Array.isArray(reply) && reply[0] === 1;
  }

  /** The live allowance (null when Redis has none): what is left after spend the workers have not booked yet. */
  async allowance(userId: string): Promise<number | null> {
    const value = await this.redis.get(redisKeys.planAllowance(userId));
    return value === null ? null : Number(value);
  }

  /** Sets the allowance only when Redis has none. */
  async seedAllowance(userId: string, allowance: number): Promise<void> {
    await this.redis.setnx(redisKeys.planAllowance(userId), allowance);
  }
}
