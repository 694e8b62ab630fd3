// Circuit breakers per channel and per channel key, kept in Redis so every data-plane node shares them. Each change is
// one atomic Lua script; nodes read the states into memory (see channel-health.ts) so routing never waits on Redis.
//
// closed --(failure share >= threshold after minimumRequests in a window)--> open --(openSeconds pass)--> a probe may
// take the half-open lease --(success)--> closed, --(failure)--> open again.
import { LuaScript } from './lua-script';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What routing may do with a channel or key right now. */
export type Availability = 'usable' | 'probe' | 'blocked';

export interface BreakerView {
  state: BreakerState;
  /** Epoch ms; while open, refused until then. */
  openUntil: number;
  /** Epoch ms; while half-open, the probe in flight holds the lease until then. */
  probeUntil: number;
}

export function availabilityOf(view: BreakerView | undefined, now: number): Availability {
  if (!view || view.state === 'closed') return 'usable';
  if (view.state === 'open') return now >= view.openUntil ? 'probe' : 'blocked';
  return now >= view.probeUntil ? 'probe' : 'blocked';
}

const STATE_CODES: Record<string, BreakerState> = { '0': 'closed', '1': 'open', '2': 'half_open' };

/** Flat [state, openUntil, probeUntil, ...] script reply -> one view per key. */
export function readBreakerViews(reply: readonly number[], offset: number, count: number): BreakerView[] {
  const views: BreakerView[] = [];
  for (let index = 0; index < count; index += 1) {
    const base = offset + index * 3;
    views.push({ state: STATE_CODES[String(reply[base])] ?? 'closed', openUntil: reply[base + 1] ?? 0, probeUntil: reply[base + 2] ?? 0 });
  }
  return views;
}

// Shared Lua: state codes 0 closed, 1 open, 2 half-open. Hash fields: s, openUntil, probeUntil, windowStart, requests, failures.
const READ_FUNCTION = `
local function view(key)
  local d = redis.call('HMGET', key, 's', 'openUntil', 'probeUntil')
  return tonumber(d[1] or '0'), tonumber(d[2] or '0'), tonumber(d[3] or '0')
end
`;

// KEYS: breaker keys (B of them), then disabled-key sets. ARGV: now, windowMs, minimumRequests, threshold, openMs, B,
// then successes and failures per breaker key. A key with no outcomes is only read (no write).
// Returns [state, openUntil, probeUntil] per breaker key, then per set a comma-joined member list.
export const SYNC_SCRIPT = new LuaScript(`${READ_FUNCTION}
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local minimum = tonumber(ARGV[3])
local threshold = tonumber(ARGV[4])
local openMs = tonumber(ARGV[5])
local breakers = tonumber(ARGV[6])
local result = {}
for i = 1, breakers do
  local key = KEYS[i]
  local successes = tonumber(ARGV[5 + i * 2])
  local failures = tonumber(ARGV[6 + i * 2])
  if successes + failures == 0 then
    local s, openUntil, probeUntil = view(key)
    result[#result + 1] = s
    result[#result + 1] = openUntil
    result[#result + 1] = probeUntil
  else
    local d = redis.call('HMGET', key, 's', 'openUntil', 'probeUntil', 'windowStart', 'requests', 'failures')
    local s = tonumber(d[1] or '0')
    local openUntil = tonumber(d[2] or '0')
    local probeUntil = tonumber(d[3] or '0')
    local windowStart = tonumber(d[4] or '0')
    local requests = tonumber(d[5] or '0')
    local failed = tonumber(d[6] or '0')
    if s == 0 then
      if now - windowStart >= windowMs then windowStart = now; requests = 0; failed = 0 end
      requests = requests + successes + failures
      failed = failed + failures
      if failed > 0 and requests >= minimum and failed >= threshold * requests then
        s = 1; openUntil = now + openMs; requests = 0; failed = 0; windowStart = now
      end
    elseif s == 2 or now >= openUntil then
      -- the probe (or a straggler after the open period) decides
      if failures > 0 then
        s = 1; openUntil = now + openMs
      else
        s = 0; openUntil = 0; requests = 0; failed = 0; windowStart = now
      end
      probeUntil = 0
    end
    redis.call('HSET', key, 's', s, 'openUntil', openUntil, 'probeUntil', probeUntil, 'windowStart', windowStart, 'requests', requests, 'failures', failed)
    redis.call('PEXPIRE', key, windowMs + openMs * 4)
    result[#result + 1] = s
    result[#result + 1] = openUntil
    result[#result + 1] = probeUntil
  end
end
for i = breakers + 1, #KEYS do
  result[#result + 1] = table.concat(redis.call('SMEMBERS', KEYS[i]), ',')
end
return result
`);

// KEYS: the breaker keys one attempt needs probes for. ARGV: now, leaseMs.
// All or nothing: grants the half-open lease on every key only when each one is closed or due for a probe.
// Returns [granted, then state, openUntil, probeUntil per key].
export const PROBE_SCRIPT = new LuaScript(`${READ_FUNCTION}
local now = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])
local views = {}
local granted = 1
for i, key in ipairs(KEYS) do
  local s, openUntil, probeUntil = view(key)
  views[i] = {s, openUntil, probeUntil}
  if (s == 1 and now < openUntil) or (s == 2 and now < probeUntil) then granted = 0 end
end
if granted == 1 then
  for i, key in ipairs(KEYS) do
    if views[i][1] ~= 0 then
      redis.call('HSET', key, 's', 2, 'probeUntil', now + leaseMs)
      redis.call('PEXPIRE', key, leaseMs * 4)
      views[i] = {2, views[i][2], now + leaseMs}
    end
  end
end
local result = {granted}
for i = 1, #KEYS do
  result[#result + 1] = views[i][1]
  result[#result + 1] = views[i][2]
  result[#result + 1] = views[i][3]
end
return result
`);
