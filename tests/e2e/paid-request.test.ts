// The walking skeleton end to end: an admin sets up a channel, a price and credit through GraphQL; a user makes paid
// chat completions through the data plane with the official OpenAI SDK; the worker bills them into SQL. Runs on the
// database TEST_DB names (SQLite or PostgreSQL), with real Redis and the mock provider as the only stand-in.
import { Queue } from 'bullmq';
import OpenAI from 'openai';
import { computeCost, JOBS, QUEUES, type UsageEventInput } from '@nebulagate/schema';
import { eventually, type GraphqlClient, type MockProvider } from '@nebulagate/testing';
import { startGatewayStack, type GatewayStack } from './gateway-stack';

const price = { inputPerMillion: 150_000, outputPerMillion: 600_000 };

let stack: GatewayStack;
let mock: MockProvider;
let admin: GraphqlClient;
let alice: GraphqlClient;
let aliceId: string;
let apiKey: string;
let tokenId: string;
let openai: OpenAI;

interface UsageLogNode {
  requestId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  stream: boolean;
  status: string;
}

const usageLogsQuery = `{ usageLogs(first: 50) { edges { node { requestId model promptTokens completionTokens cost stream status } } } }`;

async function balanceOf(client: GraphqlClient): Promise<number> {
  const data = await client.request<{ me: { balance: number } }>('{ me { balance } }');
  return data.me.balance;
}

async function usageLogs(client: GraphqlClient): Promise<UsageLogNode[]> {
  const data = await client.request<{ usageLogs: { edges: Array<{ node: UsageLogNode }> } }>(usageLogsQuery);
  return data.usageLogs.edges.map((edge) => edge.node);
}

interface LedgerNode {
  kind: string;
  amount: number;
  balanceAfter: number;
  idempotencyKey: string;
}

async function ledgerEntries(client: GraphqlClient): Promise<LedgerNode[]> {
  const data = await client.request<{ ledgerEntries: { edges: Array<{ node: LedgerNode }> } }>(
    '{ ledgerEntries(first: 100) { edges { node { kind amount balanceAfter idempotencyKey } } } }',
  );
  return data.ledgerEntries.edges.map((edge) => edge.node);
}

async function waitForUsageLog(requestId: string): Promise<UsageLogNode> {
  return eventually(async () => (await usageLogs(alice)).find((log) => log.requestId === requestId), 15_000);
}

beforeAll(async () => {
  stack = await startGatewayStack({ workerConcurrency: 2 });
  ({ mock, admin } = stack);
  const anonymous = stack.anonymous;

  const created = await admin.request<{ createUser: { user: { id: string } } }>(
    'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
    { input: { username: 'alice', password: 'alice-Password-123', role: 'USER' } },
  );
  aliceId = created.createUser.user.id;
  await admin.request('mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } } }', {
    input: { name: 'mock', type: 'openai', baseUrl: mock.baseUrl, keys: 'sk-upstream-secret-1', models: ['gpt-4o-mini'] },
  });
  await admin.request('mutation($input: SetModelPriceInput!) { setModelPrice(input: $input) { price { model } } }', {
    input: { model: 'gpt-4o-mini', ...price },
  });
  await admin.request('mutation($input: AdjustBalanceInput!) { adjustBalance(input: $input) { user { balance } } }', {
    input: { userId: aliceId, amount: 1_000_000, reason: 'e2e credit', idempotencyKey: 'e2e-credit-1' },
  });

  const aliceLogin = await anonymous.request<{ login: { sessionToken: string } }>(
    'mutation($input: LoginInput!) { login(input: $input) { sessionToken } }',
    { input: { username: 'alice', password: 'alice-Password-123' } },
  );
  alice = anonymous.withSession(aliceLogin.login.sessionToken);
  const token = await alice.request<{ createToken: { key: string; token: { id: string } } }>(
    'mutation($input: CreateTokenInput!) { createToken(input: $input) { key token { id } } }',
    { input: { name: 'e2e' } },
  );
  apiKey = token.createToken.key;
  tokenId = token.createToken.token.id;
  openai = new OpenAI({ apiKey, baseURL: `${stack.dataPlane.url}/v1`, maxRetries: 0 });

  // The snapshot with the new channel reaches the data plane within 5 s.
  await stack.dataPlaneCaughtUp();
  expect((await openai.models.list()).data.map((model) => model.id)).toContain('gpt-4o-mini');
}, 120_000);

afterAll(() => stack?.close());

describe('a paid chat completion end to end', () => {
  it('non-stream: the SDK gets the mock answer and the balance drops by exactly price × usage', async () => {
    const before = await balanceOf(alice);
    const { data: completion, response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to the gateway' }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('Hello from the NebulaGate mock provider!');
    const usage = completion.usage!;
    const expectedCost = computeCost(
      { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
      { ...price, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0 },
    ).total;
    expect(expectedCost).toBeGreaterThan(0);

    const requestId = response.headers.get('x-request-id')!;
    const log = await waitForUsageLog(requestId);
    expect(log).toEqual(expect.objectContaining({ model: 'gpt-4o-mini', stream: false, status: 'SUCCESS', cost: expectedCost }));
    const after = await balanceOf(alice);
    expect(after).toBe(before - expectedCost);
    // Exactly one ledger posting for the request, and it explains the balance.
    const postings = (await ledgerEntries(alice)).filter((entry) => entry.idempotencyKey === `${requestId}:usage`);
    expect(postings).toEqual([expect.objectContaining({ kind: 'usage', amount: -expectedCost, balanceAfter: after })]);
    // The upstream got the channel's key, never the client's.
    const upstream = mock.requests.at(-1)!;
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret-1');
  });

  it('stream: the SDK stream helper assembles the reply and the stream is billed from upstream usage', async () => {
    const before = await balanceOf(alice);
    mock.enqueue({ content: 'one two three four five', usage: { promptTokens: 40, completionTokens: 5 } });
    const stream = openai.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count' }] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('one two three four five');
    // The gateway asked upstream for usage even though the client did not.
    expect(mock.requests.at(-1)!.body).toEqual(expect.objectContaining({ stream: true, stream_options: { include_usage: true } }));

    const expectedCost = Math.ceil((40 * price.inputPerMillion) / 1e6) + Math.ceil((5 * price.outputPerMillion) / 1e6);
    const logs = await eventually(async () => (await usageLogs(alice)).find((log) => log.stream), 15_000);
    expect(logs).toEqual(expect.objectContaining({ promptTokens: 40, completionTokens: 5, cost: expectedCost }));
    expect(await balanceOf(alice)).toBe(before - expectedCost);
  });

  it('running the same usage job again changes nothing', async () => {
    const before = await balanceOf(alice);
    const logsBefore = await usageLogs(alice);
    const ledgerBefore = await ledgerEntries(alice);
    const first = logsBefore[logsBefore.length - 1]!;
    const replay: UsageEventInput = {
      requestId: first.requestId,
      userId: aliceId,
      tokenId,
      channelId: null,
      model: first.model,
      upstreamModel: first.model,
      endpoint: 'chat.completions',
      stream: first.stream,
      status: 'success',
      httpStatus: 200,
      promptTokens: first.promptTokens,
      completionTokens: first.completionTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      estimated: false,
      cost: first.cost,
      reserved: first.cost,
      snapshotVersion: 1,
      startedAt: Date.now(),
      durationMs: 1,
      firstByteMs: null,
      clientIp: null,
      errorCode: null,
    };
    const queue = new Queue(QUEUES.usage, { connection: { url: stack.redisServer.url, maxRetriesPerRequest: null } });
    try {
      // A different job id, so BullMQ runs it again: only the worker's own idempotency can stop a double posting.
      const job = await queue.add(JOBS.billUsage, replay, { jobId: `replay-${first.requestId}` });
      await eventually(async () => ((await job.getState()) === 'completed' ? true : undefined), 15_000);
    } finally {
      await queue.close();
    }
    expect(await usageLogs(alice)).toHaveLength(logsBefore.length);
    expect(await ledgerEntries(alice)).toHaveLength(ledgerBefore.length);
    expect(await balanceOf(alice)).toBe(before);
  });

  it('a price change applies to the next request', async () => {
    await admin.request('mutation($input: SetModelPriceInput!) { setModelPrice(input: $input) { price { model } } }', {
      input: { model: 'gpt-4o-mini', inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 },
    });
    await stack.dataPlaneCaughtUp();
    mock.enqueue({ usage: { promptTokens: 10, completionTokens: 10 } });
    const { response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'new price please' }] })
      .withResponse();
    const log = await waitForUsageLog(response.headers.get('x-request-id')!);
    expect(log.cost).toBe(10 + 20);
  });

  it('bad input gets a 4xx in OpenAI shape, no upstream call and no money moved', async () => {
    const before = await balanceOf(alice);
    const calls = mock.requests.length;
    await expect(openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 404,
    });
    const malformed = await fetch(`${stack.dataPlane.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: '{"model": "gpt-4o-mini", "messages": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: expect.objectContaining({ message: expect.any(String), type: expect.any(String) }) });
    const badKey = new OpenAI({ apiKey: 'sk-ng-not-a-real-key', baseURL: `${stack.dataPlane.url}/v1`, maxRetries: 0 });
    await expect(badKey.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 401,
    });
    expect(mock.requests.length).toBe(calls);
    expect(await balanceOf(alice)).toBe(before);
  });

  it('insufficient balance is a 402, never a 5xx, with no upstream call', async () => {
    const balance = await balanceOf(alice);
    await admin.request('mutation($input: AdjustBalanceInput!) { adjustBalance(input: $input) { user { balance } } }', {
      input: { userId: aliceId, amount: -balance, reason: 'e2e drain' },
    });
    const calls = mock.requests.length;
    await expect(openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 402,
    });
    expect(mock.requests.length).toBe(calls);
  });

  it('a revoked token is refused within 5 s', async () => {
    await alice.request('mutation($input: RevokeTokenInput!) { revokeToken(input: $input) { token { status } } }', { input: { id: tokenId } });
    // `eventually` gives up after 5 s: the promise DESIGN.md makes for revocations.
    await eventually(async () => {
      try {
        await openai.models.list();
        return undefined;
      } catch (error) {
        return (error as { status?: number }).status === 401 ? true : undefined;
      }
    }, 5_000);
  });
});
