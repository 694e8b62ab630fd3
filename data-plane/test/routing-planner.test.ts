// Pure routing parts: weighted split over 10 000 seeded plans, priorities, breakers and disabled keys from a health
// view, round-robin keys, session affinity, overrides, status mapping and upstream error classification.
import { channelKeyId, type Snapshot } from '@nebulagate/schema';
import { buildSnapshot, type SeedChannel } from '@nebulagate/testing';
import { planAttempt, type PlannedAttempt } from '../src/relay/route-planner';
import { availabilityOf, type Availability } from '../src/resilience/circuit-breaker';
import type { RoutingHealth } from '../src/resilience/channel-health';
import { applyHeaderOverrides, applyParameterOverrides } from '../src/resilience/channel-overrides';
import { classifyUpstreamFailure, mapUpstreamStatus } from '../src/resilience/upstream-error-classifier';
import { selectKeyIndex } from '../src/resilience/key-selection';
import { parseAffinityTarget, sessionHash } from '../src/resilience/session-affinity';

const SECRET = 'test-crypto-secret-0123456789';
const MODEL = 'gpt-4o-mini';

/** mulberry32: a small seeded generator so the split is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function snapshotOf(channels: SeedChannel[]): Snapshot {
  return buildSnapshot({ version: 1, channels, prices: { [MODEL]: { inputPerMillion: 1, outputPerMillion: 1 } }, cryptoSecret: SECRET });
}

function channel(id: string, options: Partial<SeedChannel> = {}): SeedChannel {
  return { id, baseUrl: 'https://upstream.example', keys: [`sk-${id}-1`], models: [MODEL], ...options };
}

/** A health view from fixed tables (what ChannelHealth answers from memory). */
function healthOf(channels: Record<string, Availability>, keys: Record<string, Availability> = {}): RoutingHealth {
  return {
    channelAvailability: (channelId) => channels[channelId] ?? 'usable',
    keyAvailability: (channelId, keyId) => keys[`${channelId}/${keyId}`] ?? 'usable',
  };
}

function tiersOf(snapshot: Snapshot) {
  return snapshot.routes.default?.[MODEL] ?? [];
}

function countPlans(count: number, plan: () => PlannedAttempt | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const chosen = plan();
    const name = chosen ? `${chosen.channel.id}/${chosen.keyId}` : 'none';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

describe('weighted routing over 10 000 plans', () => {
  const snapshot = snapshotOf([
    channel('heavy', { weight: 60, priority: 5 }),
    channel('medium', { weight: 30, priority: 5 }),
    channel('light', { weight: 10, priority: 5 }),
    channel('fallback', { weight: 100, priority: 0 }),
  ]);
  const tiers = tiersOf(snapshot);

  test('the split matches the weights within ±3 % and the lower tier is never used while the top one serves', () => {
    const random = seededRandom(42);
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index += 1) {
      const plan = planAttempt(snapshot, tiers, MODEL, new Set(), random);
      counts.set(plan?.channel.id ?? 'none', (counts.get(plan?.channel.id ?? 'none') ?? 0) + 1);
    }
    expect(counts.get('fallback')).toBeUndefined();
    expect(counts.get('none')).toBeUndefined();
    for (const [id, weight] of [['heavy', 0.6], ['medium', 0.3], ['light', 0.1]] as const) {
      expect(Math.abs((counts.get(id) ?? 0) / 10_000 - weight)).toBeLessThanOrEqual(0.03);
    }
  });

  test('an open breaker moves its share to the others of the tier; a blocked tier falls back to the next priority', () => {
    const random = seededRandom(7);
    const health = healthOf({ heavy: 'blocked' });
    const counts = countPlans(10_000, () => planAttempt(snapshot, tiers, MODEL, new Set(), random, 'chat', { health }));
    expect([...counts.keys()].some((name) => name.startsWith('heavy'))).toBe(false);
    const medium = counts.get(`medium/${channelKeyId('sk-medium-1')}`) ?? 0;
    expect(Math.abs(medium / 10_000 - 0.75)).toBeLessThanOrEqual(0.03);
    const allBlocked = healthOf({ heavy: 'blocked', medium: 'blocked', light: 'blocked' });
    expect(planAttempt(snapshot, tiers, MODEL, new Set(), random, 'chat', { health: allBlocked })?.channel.id).toBe('fallback');
    expect(planAttempt(snapshot, tiers, MODEL, new Set(['heavy', 'medium', 'light']), random)?.channel.id).toBe('fallback');
    expect(planAttempt(snapshot, tiers, MODEL, new Set(['heavy', 'medium', 'light', 'fallback']), random)).toBeNull();
  });

  test('disabled (blocked) keys are never used, and a channel with every key blocked is skipped', () => {
    const keyed = snapshotOf([channel('multi', { keys: ['sk-m-1', 'sk-m-2', 'sk-m-3'], weight: 1 }), channel('other', { weight: 1 })]);
    const blockedKey = channelKeyId('sk-m-2');
    const health = healthOf({}, { [`multi/${blockedKey}`]: 'blocked' });
    const random = seededRandom(3);
    const counts = countPlans(10_000, () => planAttempt(keyed, tiersOf(keyed), MODEL, new Set(), random, 'chat', { health }));
    expect(counts.get(`multi/${blockedKey}`)).toBeUndefined();
    expect(counts.get(`multi/${channelKeyId('sk-m-1')}`)).toBeGreaterThan(2000);
    expect(counts.get(`multi/${channelKeyId('sk-m-3')}`)).toBeGreaterThan(2000);
    const allKeysBlocked = healthOf({}, Object.fromEntries(['sk-m-1', 'sk-m-2', 'sk-m-3'].map((key) => [`multi/${channelKeyId(key)}`, 'blocked'])));
    const onlyOther = countPlans(1_000, () => planAttempt(keyed, tiersOf(keyed), MODEL, new Set(), random, 'chat', { health: allKeysBlocked }));
    expect([...onlyOther.keys()]).toEqual([`other/${channelKeyId('sk-other-1')}`]);
  });

  test('a channel due for a probe is planned with its breaker key, and keys prefer the usable ones', () => {
    const keyed = snapshotOf([channel('multi', { keys: ['sk-p-1', 'sk-p-2'] })]);
    const health = healthOf({ multi: 'probe' }, { [`multi/${channelKeyId('sk-p-1')}`]: 'probe' });
    const plan = planAttempt(keyed, tiersOf(keyed), MODEL, new Set(), seededRandom(1), 'chat', { health });
    expect(plan?.keyId).toBe(channelKeyId('sk-p-2'));
    expect(plan?.probes).toEqual(['ng:breaker:multi']);
  });
});

describe('key selection', () => {
  test('round-robin walks the usable keys in order; random stays inside them', () => {
    const snapshot = snapshotOf([channel('rr', { keys: ['sk-a', 'sk-b', 'sk-c'], extra: { keySelection: 'round-robin' } })]);
    const used = Array.from({ length: 6 }, () => planAttempt(snapshot, tiersOf(snapshot), MODEL, new Set())?.keyId);
    const ids = ['sk-a', 'sk-b', 'sk-c'].map(channelKeyId);
    expect(used).toEqual([...ids, ...ids]);
    let counter = 0;
    expect([0, 1, 2, 3].map(() => selectKeyIndex([4, 9], 'round-robin', () => counter++, Math.random))).toEqual([4, 9, 4, 9]);
    expect(selectKeyIndex([4, 9], 'random', () => 0, () => 0.99)).toBe(9);
  });
});

describe('session affinity', () => {
  const snapshot = snapshotOf([channel('one', { weight: 1 }), channel('two', { weight: 1, keys: ['sk-two-1', 'sk-two-2'] })]);
  const keyTwo = channelKeyId('sk-two-2');

  test('the remembered channel and key win while usable; otherwise normal routing', () => {
    const preferred = { channelId: 'two', keyId: keyTwo };
    for (let index = 0; index < 20; index += 1) {
      const plan = planAttempt(snapshot, tiersOf(snapshot), MODEL, new Set(), Math.random, 'chat', { preferred });
      expect(`${plan?.channel.id}/${plan?.keyId}`).toBe(`two/${keyTwo}`);
    }
    const blocked = healthOf({ two: 'blocked' });
    expect(planAttempt(snapshot, tiersOf(snapshot), MODEL, new Set(), Math.random, 'chat', { preferred, health: blocked })?.channel.id).toBe('one');
    expect(planAttempt(snapshot, tiersOf(snapshot), MODEL, new Set(['two']), Math.random, 'chat', { preferred })?.channel.id).toBe('one');
    const gone = { channelId: 'removed', keyId: keyTwo };
    expect(planAttempt(snapshot, tiersOf(snapshot), MODEL, new Set(['two']), Math.random, 'chat', { preferred: gone })?.channel.id).toBe('one');
  });

  test('the session hash uses the first present header, per user, only when enabled', () => {
    const settings = { enabled: true, headers: ['x-session-id', 'x-claude-code-session-id'], ttlSeconds: 60 };
    const headers: Record<string, string> = { 'x-claude-code-session-id': 'conversation-1' };
    const header = (name: string) => headers[name] ?? '';
    const hash = sessionHash(settings, 'user-1', header);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(sessionHash(settings, 'user-2', header)).not.toBe(hash);
    expect(sessionHash({ ...settings, enabled: false }, 'user-1', header)).toBeNull();
    expect(sessionHash(settings, 'user-1', () => '')).toBeNull();
    expect(parseAffinityTarget('channel-a 0123')).toEqual({ channelId: 'channel-a', keyId: '0123' });
    expect(parseAffinityTarget('broken')).toBeNull();
  });
});

describe('channel overrides', () => {
  test.each([
    [{}, '{"model":"m","temperature":1}'],
    [{ temperature: 0.2 }, '{"model":"m","temperature":0.2}'],
    [{ temperature: null, top_p: 0.5 }, '{"model":"m","top_p":0.5}'],
    [{ model: 'forced' }, '{"model":"forced","temperature":1}'],
  ])('parameter overrides %j', (overrides, expected) => {
    expect(applyParameterOverrides('{"model":"m","temperature":1}', overrides)).toBe(expected);
  });

  test('header overrides never touch auth or transport headers', () => {
    const merged = applyHeaderOverrides(
      { Authorization: 'Bearer sk-real', 'content-type': 'application/json' },
      { authorization: 'Bearer stolen', 'X-Api-Key': 'x', 'X-Team': 'blue', host: 'evil', 'x-bad': 'a\r\nb' },
    );
    expect(merged).toEqual({ Authorization: 'Bearer sk-real', 'content-type': 'application/json', 'x-team': 'blue' });
  });
});

describe('upstream error classification', () => {
  const retryOn = [408, 429, 500, 502, 503, 504];
  test.each([
    [401, '{"error":{"type":"invalid_request_error","code":"invalid_api_key"}}', 'key_invalid', true],
    [403, '{"type":"error","error":{"type":"permission_error","message":"no"}}', 'key_invalid', true],
    [403, '{"error":{"code":"content_policy_violation"}}', 'user_error', false],
    [402, '', 'key_no_credit', true],
    [429, '{"error":{"type":"insufficient_quota","code":"insufficient_quota"}}', 'key_no_credit', true],
    [429, '{"error":{"type":"rate_limit_error"}}', 'key_rate_limited', true],
    [400, '{"error":{"type":"invalid_request_error","message":"your balance is low"}}', 'user_error', false],
    [404, '', 'user_error', false],
    [413, '', 'user_error', false],
    [422, '{"error":{"status":"INVALID_ARGUMENT"}}', 'user_error', false],
    // Gemini: a bad key is a 400 whose ErrorInfo reason says so; a plain INVALID_ARGUMENT stays the caller's error.
    [400, '{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}', 'key_invalid', true],
    [400, '{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest"}]}}', 'user_error', false],
    [500, 'not json', 'upstream_failure', true],
    [501, '', 'upstream_failure', false],
    [408, '', 'upstream_failure', true],
    [302, '', 'upstream_failure', true],
  ])('%i %s -> %s', (status, body, kind, retryable) => {
    expect(classifyUpstreamFailure(status, body, retryOn)).toEqual({ kind, retryable });
  });

  test('status code mapping applies before classification', () => {
    expect(mapUpstreamStatus(400, { '400': 503 })).toBe(503);
    expect(mapUpstreamStatus(401, { '400': 503 })).toBe(401);
  });

  test('breaker availability', () => {
    expect(availabilityOf(undefined, 5)).toBe('usable');
    expect(availabilityOf({ state: 'open', openUntil: 10, probeUntil: 0 }, 5)).toBe('blocked');
    expect(availabilityOf({ state: 'open', openUntil: 10, probeUntil: 0 }, 10)).toBe('probe');
    expect(availabilityOf({ state: 'half_open', openUntil: 10, probeUntil: 20 }, 15)).toBe('blocked');
    expect(availabilityOf({ state: 'half_open', openUntil: 10, probeUntil: 20 }, 20)).toBe('probe');
  });
});
