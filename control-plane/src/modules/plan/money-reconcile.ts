// Proves the books agree: per user, Redis spendable wallet + open reservations == SQL balance, and the same for the plan
// allowance. Only meaningful once the usage queue has drained (the worker job and the admin query check that first).
// Drift is reported, never silently "fixed": a correction is an admin adjustment, which is a ledger posting.
import type { EntityManager } from '@mikro-orm/core';
import { redisKeys } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { User } from '../user/user.entity';
import { planAllowances } from './plan.service';

// KEYS: reservations-by-expiry, then wallet and plan allowance per user. ARGV: the user ids.
// One script = one consistent view: balances and open reservations are read at the same instant (the confirmation pass). It reads reservation
// hashes it was not given as KEYS, which standalone Redis allows (the gateway does not run on Redis Cluster).
// Returns per user {wallet or 'missing', plan or 'missing', open wallet part, open plan part}.
const READ_SCRIPT = `
local openWallet = {}
local openPlan = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local r = redis.call('HMGET', '${redisKeys.reservation('')}' .. id, 'userId', 'wallet', 'plan')
  if r[1] then
    openWallet[r[1]] = (openWallet[r[1]] or 0) + tonumber(r[2] or '0')
    openPlan[r[1]] = (openPlan[r[1]] or 0) + tonumber(r[3] or '0')
  end
end
local out = {}
for i, userId in ipairs(ARGV) do
  local wallet = redis.call('GET', KEYS[2 * i])
  local plan = redis.call('GET', KEYS[2 * i + 1])
  table.insert(out, wallet or 'missing')
  table.insert(out, plan or 'missing')
  table.insert(out, openWallet[userId] or 0)
  table.insert(out, openPlan[userId] or 0)
end
return out
`;

export interface MoneyDrift {
  userId: string;
  kind: 'wallet' | 'plan';
  /** What SQL says (balance, or sum of plan postings). */
  sql: number;
  /** Redis value, null when the key is missing. */
  redis: number | null;
  /** Credits held by open reservations (already out of Redis, not yet in SQL). */
  reserved: number;
  /** redis + reserved - sql. */
  drift: number;
}

const PAGE_SIZE = 200;

/** The drift of one balance; a missing Redis key counts as 0 only when SQL is 0 too. */
export function driftOf(userId: string, kind: MoneyDrift['kind'], sql: number, redis: number | null, reserved: number): MoneyDrift | null {
  const drift = (redis ?? 0) + reserved - sql;
  if (drift === 0 && (redis !== null || sql === 0)) return null;
  return { userId, kind, sql, redis, reserved, drift };
}

type BalanceView = { wallet: number | null; plan: number | null; openWallet: number; openPlan: number };

/** Atomic view (one script) of a few users: used to confirm candidates, since it scans every open reservation. */
async function readAtomically(redis: Redis, userIds: string[]): Promise<Map<string, BalanceView>> {
  const keys = [redisKeys.reservationsByExpiry, ...userIds.flatMap((userId) => [redisKeys.wallet(userId), redisKeys.planAllowance(userId)])];
  const reply = (await redis.eval(READ_SCRIPT, keys.length, ...keys, ...userIds)) as unknown;
  const values = Array.isArray(reply) ? reply.map((value: unknown) => (value === 'missing' ? null : Number(value))) : [];
  return new Map(
    userIds.map((userId, index) => {
      const [wallet = null, plan = null, openWallet = 0, openPlan = 0] = values.slice(index * 4, index * 4 + 4);
      return [userId, { wallet, plan, openWallet: openWallet ?? 0, openPlan: openPlan ?? 0 }];
    }),
  );
}

/** Open reservation parts per user, read once per run with pipelines (cheap, not atomic). */
async function openReservations(redis: Redis): Promise<Map<string, { wallet: number; plan: number }>> {
  const ids = await redis.zrange(redisKeys.reservationsByExpiry, 0, -1);
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(redisKeys.reservation(id), 'userId', 'wallet', 'plan');
  const replies = ids.length > 0 ? ((await pipeline.exec()) ?? []) : [];
  const byUser = new Map<string, { wallet: number; plan: number }>();
  for (const [, fields] of replies) {
    if (!Array.isArray(fields) || typeof fields[0] !== 'string') continue;
    const parts = byUser.get(fields[0]) ?? { wallet: 0, plan: 0 };
    parts.wallet += Number(fields[1] ?? 0);
    parts.plan += Number(fields[2] ?? 0);
    byUser.set(fields[0], parts);
  }
  return byUser;
}

function driftsOf(userId: string, balance: number, planSql: number, view: BalanceView): MoneyDrift[] {
  return [driftOf(userId, 'wallet', balance, view.wallet, view.openWallet), driftOf(userId, 'plan', planSql, view.plan, view.openPlan)].filter(
    (drift): drift is MoneyDrift => drift !== null,
  );
}

/**
 * Two passes so a large install never blocks Redis: a cheap pipelined pass over every user finds candidates, and only
 * those are re-read from SQL and confirmed with the atomic script (a request settling between the cheap reads can make
 * a user look drifted for a moment; the confirmation removes that).
 */
export async function reconcileBalances(dependencies: {
  fork: () => EntityManager;
  redis: Redis;
  log: (message: string) => void;
}): Promise<{ users: number; drifts: MoneyDrift[] }> {
  const log = dependencies.log;
  const em = dependencies.fork();
  const planSql = await planAllowances(em);
  const open = await openReservations(dependencies.redis);
  const candidates: string[] = [];
  let users = 0;
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await em.find(User, {}, { orderBy: { id: 'asc' }, offset, limit: PAGE_SIZE, fields: ['id', 'balance'] });
    if (page.length === 0) break;
    const pipeline = dependencies.redis.pipeline();
    for (const user of page) pipeline.get(redisKeys.wallet(user.id)).get(redisKeys.planAllowance(user.id));
    const replies = (await pipeline.exec()) ?? [];
    page.forEach((user, index) => {
      const read = (reply: [Error | null, unknown] | undefined) => (typeof reply?.[1] === 'string' ? Number(reply[1]) : null);
      const parts = open.get(user.id) ?? { wallet: 0, plan: 0 };
      const view = { wallet: read(replies[index * 2]), plan: read(replies[index * 2 + 1]), openWallet: parts.wallet, openPlan: parts.plan };
      if (driftsOf(user.id, user.balance, planSql.get(user.id) ?? 0, view).length > 0) candidates.push(user.id);
    });
    users += page.length;
    em.clear();
    if (page.length < PAGE_SIZE) break;
  }
  const drifts: MoneyDrift[] = [];
  for (let index = 0; index < candidates.length; index += 100) {
    const batch = candidates.slice(index, index + 100);
    const views = await readAtomically(dependencies.redis, batch);
    const fresh = dependencies.fork();
    const balances = new Map((await fresh.find(User, { id: { $in: batch } }, { fields: ['id', 'balance'] })).map((user) => [user.id, user.balance]));
    const plans = await planAllowances(fresh);
    for (const userId of batch) {
      const view = views.get(userId);
      if (!view) continue;
      for (const drift of driftsOf(userId, balances.get(userId) ?? 0, plans.get(userId) ?? 0, view)) {
        drifts.push(drift);
        log(`reconcile drift: user ${drift.userId} ${drift.kind} sql=${drift.sql} redis=${drift.redis ?? 'missing'} reserved=${drift.reserved} drift=${drift.drift}`);
      }
    }
  }
  return { users, drifts };
}
