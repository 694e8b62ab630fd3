// testChannel against the mock provider (this control plane allows private upstreams, as for local Ollama): one
// 1-token call in the channel type's wire format, ok/status/latency/message, keys scrubbed from upstream errors.
import { channelKeyId, redisKeys } from '@nebulagate/schema';
import { freePort, startMockProvider, type MockProvider } from '@nebulagate/testing';
import { AuditLog, openDatabase, type Database } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

let harness: Harness;
let database: Database;
let mock: MockProvider;
let rootSession: string;

const GOOD_KEY = 'sk-good-upstream-key-0000001111';
const BAD_KEY = 'sk-bad-upstream-key-00000002222';
const OTHER_GOOD_KEY = 'sk-other-good-key-000000003333';

const CREATE = 'mutation ($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } } }';
const TEST = 'mutation ($input: TestChannelInput!) { testChannel(input: $input) { ok status latencyMs message model } }';
const SET_KEY = 'mutation ($input: SetChannelKeyStatusInput!) { setChannelKeyStatus(input: $input) { channel { id } } }';

interface TestResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  message: string;
  model: string;
}

async function createChannel(input: Record<string, unknown>): Promise<string> {
  const result = await harness.graphql<{ createChannel: { channel: { id: string } } }>(CREATE, { input: { name: 'c', keys: GOOD_KEY, models: ['gpt-4o-mini'], ...input } }, rootSession);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createChannel.channel.id;
}

async function testChannel(input: Record<string, unknown>): Promise<TestResult> {
  const result = await harness.graphql<{ testChannel: TestResult }>(TEST, { input }, rootSession);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.testChannel;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

beforeAll(async () => {
  harness = await startHarness({ allowPrivateUpstreams: true });
  database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  mock = await startMockProvider({ apiKeys: [GOOD_KEY, OTHER_GOOD_KEY], models: ['gpt-4o-mini', 'claude-x', 'gemini-x'] });
  rootSession = await harness.login('root', ROOT_PASSWORD);
});

afterAll(async () => {
  await mock.close();
  await database.close();
  await harness.stop();
});

beforeEach(() => mock.reset());

describe('testChannel', () => {
  it('OpenAI wire: one 1-token chat with the mapped model, header and parameter overrides, the channel key', async () => {
    const id = await createChannel({
      type: 'openai', baseUrl: mock.baseUrl, models: ['alias'], modelMapping: { alias: 'gpt-4o-mini' },
      headerOverrides: { 'x-org': 'acme' }, parameterOverrides: { temperature: 0 },
    });
    const result = await testChannel({ id });
    expect(result).toMatchObject({ ok: true, status: 200, message: 'ok', model: 'alias' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(mock.requests).toHaveLength(1);
    const request = mock.requests[0];
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o-mini', max_tokens: 1, stream: false, temperature: 0 } });
    expect(header(request?.headers.authorization)).toBe(`Bearer ${GOOD_KEY}`);
    expect(header(request?.headers['x-org'])).toBe('acme');

    const audits = await database.orm.em.fork().find(AuditLog, { action: 'channel.test', target: id });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.after).toMatchObject({ model: 'alias', ok: true, status: 200 });
  });

  it('Anthropic and Gemini native shapes', async () => {
    const anthropic = await createChannel({ type: 'anthropic', baseUrl: mock.origin, models: ['claude-x'] });
    expect(await testChannel({ id: anthropic })).toMatchObject({ ok: true, status: 200 });
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', body: { model: 'claude-x', max_tokens: 1 } });
    expect(header(mock.requests[0]?.headers['x-api-key'])).toBe(GOOD_KEY);
    expect(header(mock.requests[0]?.headers['anthropic-version'])).toBeDefined();

    const gemini = await createChannel({ type: 'gemini', baseUrl: mock.origin, models: ['gemini-x'] });
    expect(await testChannel({ id: gemini })).toMatchObject({ ok: true, status: 200 });
    expect(mock.requests[1]).toMatchObject({ method: 'POST', path: '/v1beta/models/gemini-x:generateContent', body: { generationConfig: { maxOutputTokens: 1 } } });
    expect(header(mock.requests[1]?.headers['x-goog-api-key'])).toBe(GOOD_KEY);
  });

  it('reports an upstream error with its status and a message scrubbed of the key', async () => {
    const id = await createChannel({ type: 'openai', baseUrl: mock.baseUrl });
    mock.enqueue({ status: 500, errorBody: { error: { message: `upstream exploded while using key ${GOOD_KEY}`, type: 'server_error' } } });
    const result = await testChannel({ id, model: 'gpt-4o-mini' });
    expect(result).toMatchObject({ ok: false, status: 500 });
    expect(result.message).toContain('upstream exploded');
    expect(result.message).not.toContain(GOOD_KEY);
    expect(result.message).not.toContain(GOOD_KEY.slice(0, 20));
  });

  it('tests a chosen key, and by default skips keys disabled by an admin or by the data plane', async () => {
    const id = await createChannel({ type: 'openai', baseUrl: mock.baseUrl, keys: [BAD_KEY, GOOD_KEY, OTHER_GOOD_KEY] });
    const bad = await testChannel({ id, keyId: channelKeyId(BAD_KEY) });
    expect(bad).toMatchObject({ ok: false, status: 401 });
    expect(bad.message).not.toContain(BAD_KEY);

    await harness.graphql(SET_KEY, { input: { channelId: id, keyId: channelKeyId(BAD_KEY), enabled: false } }, rootSession);
    await harness.redis.sadd(redisKeys.disabledKeys(id), channelKeyId(GOOD_KEY));
    mock.reset();
    expect(await testChannel({ id })).toMatchObject({ ok: true, status: 200 });
    expect(header(mock.requests[0]?.headers.authorization)).toBe(`Bearer ${OTHER_GOOD_KEY}`);

    expect(errorCode(await harness.graphql(TEST, { input: { id, keyId: 'ffffffffffffffff' } }, rootSession))).toBe('NOT_FOUND');
  });

  it('reports a closed port as a connection failure without a status', async () => {
    const port = await freePort();
    const id = await createChannel({ type: 'openai', baseUrl: `http://127.0.0.1:${port}/v1` });
    const result = await testChannel({ id });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.message).toMatch(/connection failed/);
  });

  it('needs a model when the channel lists none', async () => {
    const id = await createChannel({ type: 'openai', baseUrl: mock.baseUrl, models: [] });
    expect(errorCode(await harness.graphql(TEST, { input: { id } }, rootSession))).toBe('BAD_USER_INPUT');
  });
});
