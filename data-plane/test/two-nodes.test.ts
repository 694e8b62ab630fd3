// Two data-plane processes on one Redis share their limits and their breakers: a cap of N per minute holds across
// both, and a breaker opened by the failures one node saw keeps the other node away from that channel too.
import { join } from 'node:path';
import { redisKeys } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { startDataPlane, type RunningDataPlane } from '../src';
import { CRYPTO_SECRET, eventually, seedUser, startHarness, type Harness } from './harness';

let harness: Harness;
let nodeB: RunningDataPlane;
let backup: MockProvider;
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

beforeAll(async () => {
  harness = await startHarness();
  backup = await startMockProvider();
  nodeB = await startDataPlane({
    host: '127.0.0.1',
    port: 0,
    redisUrl: harness.redisServer.url,
    cryptoSecret: CRYPTO_SECRET,
    allowPrivateUpstreams: true,
    snapshotCachePath: join(harness.directory, 'node-b-snapshot.json'),
    usageSpoolPath: join(harness.directory, 'node-b-usage-spool.jsonl'),
  });
});
afterAll(async () => {
  await nodeB.close();
  await backup.close();
  await harness.close();
});

async function postTo(baseUrl: string, key: string): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

async function publishOnBoth(options: Parameters<Harness['publish']>[0]) {
  const snapshot = await harness.publish(options);
  await eventually(async () => {
    const health = (await (await fetch(`${nodeB.url}/health`)).json()) as { snapshotVersion: number };
    return health.snapshotVersion === snapshot.version ? true : null;
  });
}

test('a token limit of N requests per minute holds across both nodes', async () => {
  await publishOnBoth({ channels: [{ id: 'shared', baseUrl: harness.mock.baseUrl, keys: ['sk-shared'], models: ['gpt-4o-mini'] }] });
  const { key } = await seedUser(harness, 10_000_000, { limits: { requestsPerMinute: 5, tokensPerMinute: null, concurrentRequests: null } });
  const statuses: number[] = [];
  for (let index = 0; index < 12; index += 1) statuses.push(await postTo(index % 2 === 0 ? harness.dataPlane.url : nodeB.url, key));
  expect(statuses.filter((status) => status === 200)).toHaveLength(5);
  expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  // Both nodes served some of the five.
  expect(statuses.slice(0, 5).every((status) => status === 200)).toBe(true);
});

test('a breaker opened by failures seen on node A keeps node B away from the channel', async () => {
  await publishOnBoth({
    channels: [
      { id: 'broken', baseUrl: harness.mock.baseUrl, keys: ['sk-broken'], models: ['gpt-4o-mini'], priority: 10 },
      { id: 'healthy', baseUrl: backup.baseUrl, keys: ['sk-healthy'], models: ['gpt-4o-mini'], priority: 0 },
    ],
    // Every request fails over until the breaker opens: the retry budget must not be what stops that (its own tests
    // are elsewhere), however many requests fit in the second the breaker state takes to sync.
    settings: { breaker: { windowSeconds: 60, minimumRequests: 3, failureRateThreshold: 0.5, openSeconds: 300 }, retry: { budgetRatio: 10 } },
  });
  harness.mock.reset();
  harness.mock.setDefault({ status: 500 });
  const { key } = await seedUser(harness);
  // Only node A sends traffic until the shared breaker is open.
  await eventually(async () => {
    expect(await postTo(harness.dataPlane.url, key)).toBe(200);
    return (await harness.redis.hget(redisKeys.breaker('broken'), 's')) === '1' ? true : null;
  }, 15_000);
  // Node B learns it on its next sync: from then on none of its requests reach the broken channel.
  await eventually(async () => {
    const before = harness.mock.requests.length;
    expect(await postTo(nodeB.url, key)).toBe(200);
    return harness.mock.requests.length === before ? true : null;
  }, 10_000);
  const before = harness.mock.requests.length;
  for (let index = 0; index < 5; index += 1) expect(await postTo(nodeB.url, key)).toBe(200);
  expect(harness.mock.requests.length).toBe(before);
  harness.mock.setDefault({});
});
