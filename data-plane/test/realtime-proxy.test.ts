// The /v1/realtime WebSocket proxy against a real Redis and the mock Realtime upstream, driven by the `ws` client:
// key sources (bearer, browser subprotocol), refusals before any upgrade (JSON errors), frames both ways, billing from
// response.done usage (two responses, client disconnect, budget end), failover, SSRF refusal and graceful shutdown.
import { join } from 'node:path';
import { computeCost, redisKeys, type UsageEvent } from '@nebulagate/schema';
import { freePort } from '@nebulagate/testing';
import WebSocket from 'ws';
import { startDataPlane, type RunningDataPlane } from '../src';
import { startMockRealtime, type MockRealtime, type RealtimeUsage } from '../../testing/src/mock-provider/realtime';
import { CRYPTO_SECRET, eventually, expectOpenAiError, PRICE, seedUser, startHarness, type Harness } from './harness';

const MODEL = 'gpt-realtime';
const UPSTREAM_MODEL = 'gpt-realtime-2025-08-28';
const UPSTREAM_KEY = 'sk-upstream-realtime-channel';
const FULL_PRICE = { ...PRICE, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0, defaultMaxOutputTokens: null };
/** What a session reserves with the default REALTIME_SESSION_RESERVE_TOKENS (32768 input + 32768 output tokens). */
const DEFAULT_RESERVATION = computeCost({ promptTokens: 32_768, completionTokens: 32_768, cacheReadTokens: 0, cacheWriteTokens: 0 }, FULL_PRICE).total;

let harness: Harness;
let realtime: MockRealtime;

type Opened = { kind: 'open'; socket: WebSocket; requestId: string; protocol: string; inbox: Inbox };
type Refused = { kind: 'refused'; status: number; contentType: string; json: unknown; requestId: string };

/** Collects frames as they arrive so a test can wait for the n-th one of a kind. */
class Inbox {
  readonly frames: Array<{ binary: boolean; data: Buffer }> = [];
  closeCode: number | null = null;
  private waiters: Array<() => void> = [];

  constructor(socket: WebSocket) {
    socket.on('message', (data, binary) => {
      this.frames.push({ binary, data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer) });
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  events(): Array<{ type: string } & Record<string, unknown>> {
    return this.frames.filter((frame) => !frame.binary).map((frame) => JSON.parse(frame.data.toString('utf8')) as { type: string });
  }

  async until<T>(check: () => T | null | undefined): Promise<T> {
    for (;;) {
      const value = check();
      if (value !== null && value !== undefined) return value;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  eventsOfType(type: string, count: number): Promise<Array<Record<string, unknown>>> {
    return this.until(() => {
      const found = this.events().filter((event) => event.type === type);
      return found.length >= count ? found : null;
    });
  }

  closed(): Promise<number> {
    return this.until(() => this.closeCode);
  }
}

function connect(baseUrl: string, path: string, init: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<Opened | Refused> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, init.protocols ?? [], { headers: init.headers });
    const inbox = new Inbox(socket);
    let requestId = '';
    socket.on('upgrade', (response) => {
      requestId = String(response.headers['x-request-id'] ?? '');
    });
    socket.on('open', () => resolve({ kind: 'open', socket, requestId, protocol: socket.protocol, inbox }));
    socket.on('unexpected-response', (_request, response) => {
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => parts.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ kind: 'refused', status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), json, requestId: String(response.headers['x-request-id'] ?? '') });
        socket.terminate();
      });
    });
    socket.on('error', (error) => reject(error));
  });
}

async function open(key: string, query = `?model=${MODEL}`, init: { headers?: Record<string, string>; protocols?: string[] } = {}, baseUrl = harness.dataPlane.url): Promise<Opened> {
  const result = await connect(baseUrl, `/v1/realtime${query}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
  if (result.kind !== 'open') throw new Error(`expected an upgrade, got ${result.status} ${JSON.stringify(result.json)}`);
  return result;
}

async function expectRefusal(promise: Promise<Opened | Refused>, status: number, code: string): Promise<string> {
  const result = await promise;
  expect(result.kind).toBe('refused');
  if (result.kind !== 'refused') return '';
  expect(result.status).toBe(status);
  expect(result.contentType).toContain('application/json');
  expectOpenAiError(result.json, code);
  return result.requestId;
}

function usageEventOf(requestId: string): Promise<UsageEvent> {
  return eventually(() => harness.usageEvent(requestId), 15_000);
}

function costOf(usages: RealtimeUsage[]): number {
  const sum = (pick: (usage: RealtimeUsage) => number) => usages.reduce((total, usage) => total + pick(usage), 0);
  return computeCost(
    { promptTokens: sum((usage) => usage.input_tokens), completionTokens: sum((usage) => usage.output_tokens), cacheReadTokens: sum((usage) => usage.input_token_details?.cached_tokens ?? 0), cacheWriteTokens: 0 },
    FULL_PRICE,
  ).total;
}

function channels(first: { id: string; baseUrl: string; priority?: number }[] = []) {
  return [
    ...first.map((channel) => ({ ...channel, keys: [`sk-${channel.id}`], models: [MODEL], modelMapping: { [MODEL]: UPSTREAM_MODEL } })),
    { id: 'rt-main', baseUrl: realtime.baseUrl, keys: [UPSTREAM_KEY], models: [MODEL], modelMapping: { [MODEL]: UPSTREAM_MODEL } },
    { id: 'claude-only', type: 'anthropic' as const, baseUrl: realtime.baseUrl, keys: ['sk-anthropic'], models: ['claude-sonnet'] },
  ];
}

const PRICES = { [MODEL]: PRICE, 'claude-sonnet': PRICE };

beforeAll(async () => {
  harness = await startHarness();
  realtime = await startMockRealtime({ apiKeys: [UPSTREAM_KEY, 'sk-rt-second'] });
  await harness.publish({ channels: channels(), prices: PRICES });
});
afterAll(async () => {
  await harness.close();
  await realtime.close();
});
beforeEach(() => realtime.reset());

describe('auth and admission', () => {
  test('a bearer key opens a session on the mapped upstream model with the channel key; session.created is relayed', async () => {
    const { key } = await seedUser(harness);
    const session = await open(key, `?model=${MODEL}`, { headers: { 'OpenAI-Beta': 'realtime=v1' } });
    const [created] = await session.inbox.eventsOfType('session.created', 1);
    expect(created).toMatchObject({ session: { model: UPSTREAM_MODEL } });
    expect(session.requestId).toMatch(/^req_/);
    const upstream = realtime.connections[0];
    expect(upstream?.search).toBe(`?model=${UPSTREAM_MODEL}`);
    expect(upstream?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(upstream?.headers['openai-beta']).toBe('realtime=v1');
    expect(JSON.stringify(upstream?.headers)).not.toContain(key);
    session.socket.close(1000);
    await session.inbox.closed();
  });

  test('the browser subprotocol key works on /hf/v1; `realtime` is selected and the key subprotocol never goes anywhere', async () => {
    const { key } = await seedUser(harness);
    const result = await connect(harness.dataPlane.url, `/hf/v1/realtime?model=${MODEL}`, { protocols: ['realtime', `openai-insecure-api-key.${key}`, 'openai-beta.realtime-v1'] });
    expect(result.kind).toBe('open');
    if (result.kind !== 'open') return;
    expect(result.protocol).toBe('realtime');
    await result.inbox.eventsOfType('session.created', 1);
    const upstream = realtime.connections[0];
    expect(upstream?.headers['sec-websocket-protocol']).toBeUndefined();
    expect(upstream?.headers['openai-beta']).toBe('realtime=v1');
    expect(JSON.stringify(upstream?.headers)).not.toContain(key);
    result.socket.close(1000);
    await result.inbox.closed();
  });

  test('?key= is accepted like every other route', async () => {
    const { key } = await seedUser(harness);
    const result = await connect(harness.dataPlane.url, `/v1/realtime?model=${MODEL}&key=${key}`);
    expect(result.kind).toBe('open');
    if (result.kind === 'open') {
      result.socket.close(1000);
      await result.inbox.closed();
    }
  });

  test('missing, wrong, revoked and expired keys and disabled users are refused before upgrading, with JSON errors', async () => {
    const base = harness.dataPlane.url;
    const path = `/v1/realtime?model=${MODEL}`;
    await expectRefusal(connect(base, path), 401, 'invalid_api_key');
    await expectRefusal(connect(base, path, { headers: { authorization: 'Bearer sk-wrong' } }), 401, 'invalid_api_key');
    await expectRefusal(connect(base, path, { protocols: ['realtime', 'openai-insecure-api-key.sk-wrong'] }), 401, 'invalid_api_key');
    const revoked = await seedUser(harness, 10_000_000, { status: 'disabled' });
    await expectRefusal(connect(base, path, { headers: { authorization: `Bearer ${revoked.key}` } }), 401, 'invalid_api_key');
    const expired = await seedUser(harness, 10_000_000, { expiresAt: Date.now() - 1000 });
    await expectRefusal(connect(base, path, { headers: { 'x-api-key': expired.key } }), 401, 'token_expired');
    const disabledUser = await seedUser(harness);
    await harness.redis.set(redisKeys.user(disabledUser.userId), JSON.stringify({ id: disabledUser.userId, status: 'disabled', group: 'default', limits: null }));
    await expectRefusal(connect(base, path, { headers: { authorization: `Bearer ${disabledUser.key}` } }), 403, 'permission_denied');
    expect(realtime.connections).toHaveLength(0);
  });

  test('model not allowed for the key, unknown, missing or not served by an OpenAI channel: 403 / 404 / 400', async () => {
    const limited = await seedUser(harness, 10_000_000, { models: ['gpt-4o-mini'] });
    await expectRefusal(connect(harness.dataPlane.url, `/v1/realtime?model=${MODEL}`, { headers: { authorization: `Bearer ${limited.key}` } }), 403, 'model_not_allowed');
    const { key, userId } = await seedUser(harness);
    const headers = { authorization: `Bearer ${key}` };
    await expectRefusal(connect(harness.dataPlane.url, '/v1/realtime?model=no-such-model', { headers }), 404, 'model_not_found');
    await expectRefusal(connect(harness.dataPlane.url, '/v1/realtime?model=claude-sonnet', { headers }), 404, 'model_not_found');
    await expectRefusal(connect(harness.dataPlane.url, '/v1/realtime', { headers }), 400, 'invalid_request');
    await expectRefusal(connect(harness.dataPlane.url, `/v1/realtime-nope?model=${MODEL}`, { headers }), 404, 'not_found');
    expect(realtime.connections).toHaveLength(0);
    expect(await harness.wallet(userId)).toBe(10_000_000);
  });

  test('a wallet that cannot cover the session reservation: 402, nothing dialled, no money moved', async () => {
    const { key, userId } = await seedUser(harness, DEFAULT_RESERVATION - 1);
    await expectRefusal(connect(harness.dataPlane.url, `/v1/realtime?model=${MODEL}`, { headers: { authorization: `Bearer ${key}` } }), 402, 'insufficient_quota');
    expect(realtime.connections).toHaveLength(0);
    expect(await harness.wallet(userId)).toBe(DEFAULT_RESERVATION - 1);
  });

  test('a key over its request rate: 429 before upgrading', async () => {
    const { key } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 1, tokensPerMinute: null, concurrentRequests: null } });
    const first = await open(key);
    await expectRefusal(connect(harness.dataPlane.url, `/v1/realtime?model=${MODEL}`, { headers: { authorization: `Bearer ${key}` } }), 429, 'rate_limited');
    first.socket.close(1000);
    await first.inbox.closed();
  });
});

describe('relay and billing', () => {
  test('text and binary frames pass both ways unchanged', async () => {
    const { key } = await seedUser(harness);
    const session = await open(key);
    await session.inbox.eventsOfType('session.created', 1);
    const text = Buffer.from(JSON.stringify({ type: 'input_audio_buffer.append', audio: 'AAECAwQ=', event_id: 'evt_ü_1' }), 'utf8');
    const binary = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    session.socket.send(text, { binary: false });
    session.socket.send(binary, { binary: true });
    const echoed = await session.inbox.until(() => session.inbox.frames.find((frame) => frame.binary));
    expect(echoed.data.equals(binary)).toBe(true);
    const upstream = realtime.connections[0];
    expect(upstream?.frames[0]).toEqual({ binary: false, data: text });
    expect(upstream?.frames[1]).toEqual({ binary: true, data: binary });
    session.socket.close(1000);
    await session.inbox.closed();
  });

  test('two responses are billed exactly from the usage of their two response.done events, settled once on close', async () => {
    const { key, userId } = await seedUser(harness);
    const usages: RealtimeUsage[] = [
      { input_tokens: 1200, output_tokens: 300, input_token_details: { cached_tokens: 1000, text_tokens: 200, audio_tokens: 1000 }, output_token_details: { text_tokens: 100, audio_tokens: 200 } },
      { input_tokens: 2500, output_tokens: 450, input_token_details: { cached_tokens: 0 } },
    ];
    realtime.enqueueUsage(...usages);
    const session = await open(key);
    session.socket.send(JSON.stringify({ type: 'response.create' }));
    await session.inbox.eventsOfType('response.done', 1);
    session.socket.send(JSON.stringify({ type: 'response.create' }));
    const done = await session.inbox.eventsOfType('response.done', 2);
    expect(done[1]).toMatchObject({ response: { usage: { input_tokens: 2500, output_tokens: 450 } } });
    session.socket.close(1000, 'bye');
    expect(await session.inbox.closed()).toBe(1000);
    const event = await usageEventOf(session.requestId);
    const cost = costOf(usages);
    expect(event).toMatchObject({
      endpoint: '/v1/realtime',
      model: MODEL,
      upstreamModel: UPSTREAM_MODEL,
      channelId: 'rt-main',
      status: 'success',
      promptTokens: 3700,
      completionTokens: 750,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
      estimated: false,
      cost,
      reserved: DEFAULT_RESERVATION,
    });
    expect(await harness.wallet(userId)).toBe(10_000_000 - cost);
    await eventually(async () => (realtime.connections[0]?.closeCode === 1000 ? true : null));
    expect(await harness.redis.exists(redisKeys.reservation(session.requestId))).toBe(0);
  });

  test('a client that vanishes mid-session pays what it used; the upstream is closed', async () => {
    const { key, userId } = await seedUser(harness);
    const usage: RealtimeUsage = { input_tokens: 800, output_tokens: 120 };
    realtime.enqueueUsage(usage);
    const session = await open(key);
    session.socket.send(JSON.stringify({ type: 'response.create' }));
    await session.inbox.eventsOfType('response.done', 1);
    session.socket.terminate();
    const event = await usageEventOf(session.requestId);
    expect(event).toMatchObject({ status: 'client_aborted', promptTokens: 800, completionTokens: 120, cost: costOf([usage]) });
    expect(await harness.wallet(userId)).toBe(10_000_000 - costOf([usage]));
    await eventually(async () => (realtime.connections[0]?.closeCode === 1001 ? true : null));
  });

  test('a session that produced no response costs nothing', async () => {
    const { key, userId } = await seedUser(harness);
    const session = await open(key);
    await session.inbox.eventsOfType('session.created', 1);
    session.socket.close(1000);
    const event = await usageEventOf(session.requestId);
    expect(event).toMatchObject({ status: 'success', cost: 0 });
    expect(await harness.wallet(userId)).toBe(10_000_000);
  });

  test('the upstream closing ends the client side with the same code; usage so far is billed', async () => {
    const { key, userId } = await seedUser(harness);
    const usage: RealtimeUsage = { input_tokens: 50, output_tokens: 20 };
    realtime.enqueueUsage(usage);
    const session = await open(key);
    session.socket.send(JSON.stringify({ type: 'response.create' }));
    await session.inbox.eventsOfType('response.done', 1);
    realtime.connections[0]?.socket.close(4000, 'upstream says bye');
    expect(await session.inbox.closed()).toBe(4000);
    const event = await usageEventOf(session.requestId);
    expect(event).toMatchObject({ status: 'success', cost: costOf([usage]) });
    expect(await harness.wallet(userId)).toBe(10_000_000 - costOf([usage]));
  });

  test('when what is left of the reservation cannot cover another response: error event, close 1008, billed what was used', async () => {
    process.env.REALTIME_SESSION_RESERVE_TOKENS = '1000';
    try {
      // Reservation 1000 * 2 + 1000 * 8 = 10000 credits; one response of 600 + 600 tokens costs 6000.
      const { key, userId } = await seedUser(harness);
      const usage: RealtimeUsage = { input_tokens: 600, output_tokens: 600 };
      realtime.enqueueUsage(usage);
      const session = await open(key);
      session.socket.send(JSON.stringify({ type: 'response.create' }));
      const [error] = await session.inbox.eventsOfType('error', 1);
      expect(error).toMatchObject({ type: 'error', error: { code: 'insufficient_quota', message: expect.any(String) } });
      expect(await session.inbox.closed()).toBe(1008);
      const event = await usageEventOf(session.requestId);
      expect(event).toMatchObject({ reserved: 10_000, cost: 6_000, errorCode: 'insufficient_quota' });
      expect(await harness.wallet(userId)).toBe(10_000_000 - 6_000);
    } finally {
      delete process.env.REALTIME_SESSION_RESERVE_TOKENS;
    }
  });
});

describe('upstream selection', () => {
  test('a channel whose upstream cannot be reached fails over to the next channel before the client is upgraded', async () => {
    const deadPort = await freePort();
    await harness.publish({ channels: channels([{ id: 'rt-dead', baseUrl: `http://127.0.0.1:${deadPort}/v1`, priority: 10 }]), prices: PRICES });
    try {
      const { key } = await seedUser(harness);
      const session = await open(key);
      await session.inbox.eventsOfType('session.created', 1);
      session.socket.close(1000);
      const event = await usageEventOf(session.requestId);
      expect(event.channelId).toBe('rt-main');
      expect(event.attempts.map((attempt) => [attempt.channelId, attempt.status, attempt.errorCode])).toEqual([
        ['rt-dead', null, 'upstream_error'],
        ['rt-main', 101, null],
      ]);
    } finally {
      await harness.publish({ channels: channels(), prices: PRICES });
    }
  });

  test('an upstream that refuses the handshake with 503 fails over; 503 on every channel ends in a JSON 502 that costs nothing', async () => {
    await harness.publish({ channels: channels([{ id: 'rt-second', baseUrl: realtime.baseUrl, priority: 10 }]), prices: PRICES });
    try {
      const { key, userId } = await seedUser(harness);
      realtime.enqueueConnection({ status: 503 });
      const session = await open(key);
      session.socket.close(1000);
      const event = await usageEventOf(session.requestId);
      expect(event.attempts.map((attempt) => attempt.status)).toEqual([503, 101]);
      realtime.enqueueConnection({ status: 503 }, { status: 503 });
      const refusedId = await expectRefusal(connect(harness.dataPlane.url, `/v1/realtime?model=${MODEL}`, { headers: { authorization: `Bearer ${key}` } }), 502, 'upstream_error');
      const refused = await usageEventOf(refusedId);
      expect(refused).toMatchObject({ status: 'error', cost: 0, errorCode: 'upstream_error' });
      expect(refused.attempts.map((attempt) => attempt.status)).toEqual([503, 503]);
      expect(await harness.wallet(userId)).toBe(10_000_000);
      expect(await harness.redis.exists(redisKeys.reservation(refusedId))).toBe(0);
    } finally {
      await harness.publish({ channels: channels(), prices: PRICES });
    }
  });
});

describe('a second data plane (no private upstreams; shutdown)', () => {
  let second: RunningDataPlane | null = null;

  async function startSecond(allowPrivateUpstreams: boolean): Promise<RunningDataPlane> {
    const plane = await startDataPlane({
      host: '127.0.0.1',
      port: 0,
      redisUrl: harness.redisServer.url,
      cryptoSecret: CRYPTO_SECRET,
      allowPrivateUpstreams,
      snapshotCachePath: join(harness.directory, `snapshot-${allowPrivateUpstreams}.json`),
      usageSpoolPath: join(harness.directory, `usage-spool-${allowPrivateUpstreams}.jsonl`),
    });
    second = plane;
    return plane;
  }

  afterEach(async () => {
    await second?.close();
    second = null;
  });

  test('a private upstream is refused when not allow-listed (literal address and a name resolving to loopback)', async () => {
    const plane = await startSecond(false);
    const port = realtime.port;
    const published = await harness.publish({
      channels: [
        { id: 'rt-literal', baseUrl: `http://127.0.0.1:${port}/v1`, keys: [UPSTREAM_KEY], models: [MODEL], priority: 10 },
        { id: 'rt-name', baseUrl: `http://localhost:${port}/v1`, keys: [UPSTREAM_KEY], models: [MODEL] },
      ],
      prices: PRICES,
    });
    try {
      await eventually(async () => ((await (await fetch(`${plane.url}/health`)).json()) as { snapshotVersion: number }).snapshotVersion === published.version || null);
      const { key, userId } = await seedUser(harness);
      const result = await connect(plane.url, `/v1/realtime?model=${MODEL}`, { headers: { authorization: `Bearer ${key}` } });
      expect(result.kind).toBe('refused');
      if (result.kind === 'refused') {
        expect(result.status).toBe(502);
        expectOpenAiError(result.json, 'upstream_error');
        expect(JSON.stringify(result.json)).not.toContain('127.0.0.1');
        // The last attempt (the name) was refused as a blocked address, not merely unreachable.
        expect(result.json).toMatchObject({ error: { message: 'The upstream address of this channel is not allowed.' } });
        // Both channels were tried: the literal address refused up front, the name refused by the connect-time lookup.
        const event = await usageEventOf(result.requestId);
        expect(event.attempts.map((attempt) => [attempt.channelId, attempt.errorCode])).toEqual([
          ['rt-literal', 'upstream_error'],
          ['rt-name', 'upstream_error'],
        ]);
      }
      expect(realtime.connections).toHaveLength(0);
      expect(await harness.wallet(userId)).toBe(10_000_000);
    } finally {
      await harness.publish({ channels: channels(), prices: PRICES });
    }
  });

  test('shutdown closes open sessions with 1001 and settles them', async () => {
    const plane = await startSecond(true);
    await eventually(async () => ((await (await fetch(`${plane.url}/health`)).json()) as { snapshotVersion: number }).snapshotVersion > 0 || null);
    const { key, userId } = await seedUser(harness);
    const usage: RealtimeUsage = { input_tokens: 100, output_tokens: 10 };
    realtime.enqueueUsage(usage);
    const session = await open(key, `?model=${MODEL}`, {}, plane.url);
    session.socket.send(JSON.stringify({ type: 'response.create' }));
    await session.inbox.eventsOfType('response.done', 1);
    await plane.close();
    second = null;
    expect(await session.inbox.closed()).toBe(1001);
    const event = await usageEventOf(session.requestId);
    expect(event).toMatchObject({ status: 'success', cost: costOf([usage]) });
    expect(await harness.wallet(userId)).toBe(10_000_000 - costOf([usage]));
  });
});
