// The SSRF guard of the one outbound fetcher: loopback/private/link-local/metadata targets and non-http schemes are
// refused (literal IPs before dialling, DNS names at connect time); redirects are never followed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { createUpstreamFetcher, isBlockedAddress, UpstreamBlockedError, type UpstreamFetcher } from '../src';
import { expectOpenAiError, post, seedUser, startHarness, type Harness } from './harness';

let mock: MockProvider;
let guarded: UpstreamFetcher;
let open: UpstreamFetcher;
let redirector: Server;
let redirectorPort: number;

beforeAll(async () => {
  mock = await startMockProvider();
  guarded = createUpstreamFetcher({ allowPrivateUpstreams: false });
  open = createUpstreamFetcher({ allowPrivateUpstreams: true });
  redirector = createServer((request, response) => {
    response.writeHead(302, { location: `${mock.baseUrl}/models` });
    response.end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorPort = (redirector.address() as AddressInfo).port;
});
afterAll(async () => {
  await guarded.close();
  await open.close();
  await mock.close();
  await new Promise<void>((resolve) => redirector.close(() => resolve()));
});
beforeEach(() => mock.reset());

test.each([
  ['loopback IPv4 literal', (port: number) => `http://127.0.0.1:${port}/v1/models`],
  ['localhost (resolved at connect time)', (port: number) => `http://localhost:${port}/v1/models`],
  ['loopback IPv6 literal', (port: number) => `http://[::1]:${port}/v1/models`],
  ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/v1/models`],
  ['cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
  ['private network', () => 'http://10.0.0.1/v1/models'],
  ['unspecified address', (port: number) => `http://0.0.0.0:${port}/v1/models`],
])('refuses %s when private upstreams are not allowed', async (_name, url) => {
  await expect(guarded.request({ url: url(mock.port), method: 'GET', headers: {} })).rejects.toBeInstanceOf(UpstreamBlockedError);
  expect(mock.requests).toHaveLength(0);
});

test('refuses non-http schemes and URLs with credentials', async () => {
  await expect(open.request({ url: 'file:///etc/passwd', method: 'GET', headers: {} })).rejects.toBeInstanceOf(UpstreamBlockedError);
  await expect(open.request({ url: 'ftp://example.com/x', method: 'GET', headers: {} })).rejects.toBeInstanceOf(UpstreamBlockedError);
  await expect(open.request({ url: `http://user:pass@127.0.0.1:${mock.port}/v1/models`, method: 'GET', headers: {} })).rejects.toBeInstanceOf(UpstreamBlockedError);
});

test('reaches a loopback upstream when private upstreams are allowed', async () => {
  const response = await open.request({ url: `${mock.baseUrl}/models`, method: 'GET', headers: {} });
  expect(response.statusCode).toBe(200);
  await response.body.json();
  expect(mock.requests).toHaveLength(1);
});

test('never follows a redirect', async () => {
  const response = await open.request({ url: `http://127.0.0.1:${redirectorPort}/v1/chat/completions`, method: 'GET', headers: {} });
  expect(response.statusCode).toBe(302);
  await response.body.dump();
  expect(mock.requests).toHaveLength(0);
});

test('address policy table', () => {
  const blocked = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fc00::1', 'ff02::1', '::ffff:10.0.0.1', 'not-an-ip'];
  const allowed = ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
  for (const address of blocked) expect([address, isBlockedAddress(address)]).toEqual([address, true]);
  for (const address of allowed) expect([address, isBlockedAddress(address)]).toEqual([address, false]);
});

describe('through the relay', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ allowPrivateUpstreams: false });
  });
  afterAll(async () => {
    await harness.close();
  });

  test('a channel on a loopback base URL is refused: 502, the mock sees nothing, nothing is charged', async () => {
    const { key, userId } = await seedUser(harness);
    const before = await harness.wallet(userId);
    const response = await post(harness, '/v1/chat/completions', { key, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    expect(response.status).toBe(502);
    expectOpenAiError(response.json, 'upstream_error');
    expect(response.text).not.toContain('127.0.0.1');
    expect(harness.mock.requests).toHaveLength(0);
    expect(await harness.wallet(userId)).toBe(before);
  });
});
