// The channels page in a real browser (Debian's chromium driven by playwright-core) against the real control plane, a
// private Redis, a throwaway database and the mock provider as the only upstream: create a channel with two keys (only
// hints ever reach the page), disable / re-enable keys and see the published snapshot follow, test a channel, the
// health sparkline over probes run by the worker's own sweep, batch disable by tag, edit, and zh-CN. Also table tests of
// the page's pure helpers (draft checking, sparkline geometry).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { createGuardedFetcher, openDatabase, RedisPublisher, type Database, type GuardedFetcher } from '@nebulagate/control-plane';
import { channelKeyId, redisKeys, snapshotSchema, type Snapshot, type SnapshotChannel } from '@nebulagate/schema';
import { startMockProvider, type MockProvider } from '@nebulagate/testing';
import { sweepChannelHealth } from '../../workers/src/jobs/channel-health.job';
import {
  createInputFromDraft,
  EMPTY_CHANNEL_DRAFT,
  parseJsonObject,
  parseLimit,
  tagsOf,
  updateInputFromDraft,
  type ChannelDraft,
} from '../../admin-ui/src/features/channels/channel-draft';
import { probeOutcomeOf, sparklineGeometry } from '../../admin-ui/src/features/channels/health-sparkline-geometry';
import { ADMIN_PASSWORD, CRYPTO_SECRET, expectHidden, expectVisible, readUntil, signIn, startAdminUiHarness, type AdminUiHarness } from './admin-ui-harness';

const HEALTH_EVERY_MS = 60_000;
const SCREENSHOT_PATH = join(tmpdir(), 'nebulagate-admin-channels.png');

const ALPHA_KEYS = ['sk-mock-alpha-first-key-0000a1a1', 'sk-mock-alpha-second-key-0000b2b2'] as const;
const BETA_KEY = 'sk-mock-beta-only-key-0000c3c3';
const ALL_KEYS = [...ALPHA_KEYS, BETA_KEY];

let ui: AdminUiHarness;
let mock: MockProvider | undefined;
/** A second connection to the control plane's database, for the worker's health sweep. */
let workerDatabase: Database | undefined;
let fetcher: GuardedFetcher | undefined;
let page: Page;
let healthClock = Date.now() - 10 * HEALTH_EVERY_MS;

function hintOf(key: string): string {
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** Waits for the published snapshot to satisfy `until` (publication trails the GraphQL answer by a moment). */
async function snapshotUntil(until: (snapshot: Snapshot) => boolean): Promise<Snapshot> {
  const latest = await readUntil(
    async () => {
      const raw = await ui.redis.get(redisKeys.snapshotCurrent);
      return raw ? snapshotSchema.parse(JSON.parse(raw)) : null;
    },
    (snapshot) => snapshot !== null && until(snapshot),
    80,
  );
  if (latest === null || !until(latest)) throw new Error(`snapshot never matched; last: ${JSON.stringify(latest?.channels ?? null)}`);
  return latest;
}

function channelNamed(snapshot: Snapshot, name: string): SnapshotChannel | undefined {
  return Object.values(snapshot.channels).find((channel) => channel.name === name);
}

/** One scheduled health sweep, run by the worker's own job function, one slot after the previous one. */
async function sweepHealthOnce(): Promise<void> {
  if (!workerDatabase || !fetcher) throw new Error('health dependencies not started');
  const redis = ui.redis;
  healthClock += HEALTH_EVERY_MS;
  const orm = workerDatabase.orm;
  const publisher = new RedisPublisher(redis, orm, (message) => {
    throw new Error(message);
  });
  await sweepChannelHealth({
    orm,
    redis,
    fetcher,
    settings: { everyMs: HEALTH_EVERY_MS, failuresToDisable: 3, successesToEnable: 2, parallelProbes: 1, cryptoSecret: CRYPTO_SECRET },
    publishSnapshot: () => publisher.publishSnapshot(),
    now: () => healthClock,
  });
}

function channelRow(name: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
}

beforeAll(async () => {
  // The mock provider listens on loopback.
  ui = await startAdminUiHarness({ allowPrivateUpstreams: true, viewport: { width: 1440, height: 900 } });
  page = ui.page;
  // The mock only answers requests that carry one of the real keys: a passing test proves the key was unsealed right.
  mock = await startMockProvider({ apiKeys: ALL_KEYS });
  workerDatabase = await openDatabase(ui.database.url, { migrate: false });
  fetcher = createGuardedFetcher({ allowPrivateUpstreams: true, timeoutMs: 5000 });
}, 240_000);

afterAll(async () => {
  await fetcher?.close();
  await workerDatabase?.close();
  await mock?.close();
  await ui?.close();
}, 60_000);

describe('channel draft helpers', () => {
  test.each([
    ['', { ok: true, value: {} }],
    ['  ', { ok: true, value: {} }],
    ['{"gpt-4o": "gpt-4o-2024-08-06"}', { ok: true, value: { 'gpt-4o': 'gpt-4o-2024-08-06' } }],
    ['{"400": 500}', { ok: true, value: { '400': 500 } }],
    ['{"a": 1', { ok: false, problem: 'syntax' }],
    ['[1, 2]', { ok: false, problem: 'notObject' }],
    ['"text"', { ok: false, problem: 'notObject' }],
    ['null', { ok: false, problem: 'notObject' }],
  ])('parseJsonObject(%j)', (text, expected) => {
    expect(parseJsonObject(text)).toEqual(expected);
  });

  test.each([
    ['', null],
    [' 600 ', 600],
    ['1', 1],
    ['0', undefined],
    ['-3', undefined],
    ['2.5', undefined],
    ['abc', undefined],
  ])('parseLimit(%j) = %j', (text, expected) => {
    expect(parseLimit(text)).toBe(expected);
  });

  const valid: ChannelDraft = {
    ...EMPTY_CHANNEL_DRAFT,
    name: ' alpha ',
    baseUrl: 'https://api.example.com/v1',
    keys: 'sk-one\n\nsk-two\nsk-one',
    models: 'gpt-4o, gpt-4o-mini',
    tags: 'eu, mock',
    requestsPerMinute: '600',
    modelMapping: '{"gpt-4o": "gpt-4o-2024-08-06"}',
  };

  test.each<[string, Partial<ChannelDraft>, string | null]>([
    ['valid draft', {}, null],
    ['no keys', { keys: '  \n' }, 'keysRequired'],
    ['no models', { models: ' , ' }, 'modelsRequired'],
    ['fractional weight', { weight: '1.5' }, 'invalidNumber'],
    ['negative weight', { weight: '-1' }, 'invalidNumber'],
    ['zero limit', { tokensPerMinute: '0' }, 'invalidLimit'],
    ['broken mapping', { statusCodeMapping: '{400: 500}' }, 'invalidJson'],
  ])('createInputFromDraft: %s', (_name, change, problem) => {
    const result = createInputFromDraft({ ...valid, ...change });
    if (problem === null) {
      expect(result).toEqual({
        input: expect.objectContaining({
          name: 'alpha',
          keys: ['sk-one', 'sk-two'],
          models: ['gpt-4o', 'gpt-4o-mini'],
          groups: ['default'],
          tags: ['eu', 'mock'],
          limits: { requestsPerMinute: 600, tokensPerMinute: null, concurrentRequests: null },
          modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
          statusCodeMapping: {},
        }),
      });
    } else {
      expect(result).toEqual({ problem: expect.objectContaining({ kind: problem }) });
    }
  });

  test('updateInputFromDraft sends keys only as additions, and none when the field is empty', () => {
    expect(updateInputFromDraft('c1', { ...valid, keys: '' })).toEqual({ input: expect.not.objectContaining({ addKeys: expect.anything() }) });
    const withKeys = updateInputFromDraft('c1', valid);
    expect(withKeys).toEqual({ input: expect.objectContaining({ id: 'c1', addKeys: ['sk-one', 'sk-two'] }) });
    expect(withKeys).toEqual({ input: expect.not.objectContaining({ keys: expect.anything() }) });
  });

  test('tagsOf lists every tag once, sorted', () => {
    expect(tagsOf([{ tags: ['mock', 'eu'] }, { tags: [] }, { tags: ['mock', 'asia'] }])).toEqual(['asia', 'eu', 'mock']);
  });
});

describe('health sparkline geometry', () => {
  const box = { width: 100, height: 20, padding: 2 };
  const at = '2026-11-23T12:00:00.000Z';

  test.each([
    ['up', 'up'],
    ['down', 'down'],
    ['inconclusive', 'inconclusive'],
    ['something-new', 'inconclusive'],
  ])('probeOutcomeOf(%s) = %s', (outcome, expected) => {
    expect(probeOutcomeOf(outcome)).toBe(expected);
  });

  test('no checks: no points, no path', () => {
    expect(sparklineGeometry([], box)).toEqual({ points: [], path: '', maxLatencyMs: 1, failures: 0 });
  });

  test('one check sits in the middle', () => {
    const geometry = sparklineGeometry([{ at, outcome: 'up', latencyMs: 50 }], box);
    expect(geometry.points.map(({ x, y }) => ({ x, y }))).toEqual([{ x: 50, y: 2 }]);
    expect(geometry.path).toBe('M50 2');
  });

  test('latency maps to height (slowest at the top), x spreads evenly, failures are counted', () => {
    const geometry = sparklineGeometry(
      [
        { at, outcome: 'up', latencyMs: 100 },
        { at, outcome: 'down', latencyMs: 0 },
        { at, outcome: 'up', latencyMs: 50 },
        { at, outcome: 'inconclusive', latencyMs: 200 },
      ],
      box,
    );
    expect(geometry.maxLatencyMs).toBe(200);
    expect(geometry.failures).toBe(1);
    expect(geometry.points.map(({ x, y, outcome }) => ({ x, y, outcome }))).toEqual([
      { x: 2, y: 10, outcome: 'up' },
      { x: 34, y: 18, outcome: 'down' },
      { x: 66, y: 14, outcome: 'up' },
      { x: 98, y: 2, outcome: 'inconclusive' },
    ]);
    expect(geometry.path).toBe('M2 10 L34 18 L66 14 L98 2');
  });
});

describe('channels page in Chromium', () => {
  test('signs in and opens the channels page', async () => {
    await page.goto(ui.controlPlane.url);
    await signIn(page, 'root', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Channels', level: 1 }));
    await expectVisible(page.getByText('No channels yet.'));
  });

  test('creating a channel with two keys: JSON is checked as typed, the list shows hints, never the keys', async () => {
    if (!mock) throw new Error('mock not started');
    await page.getByLabel('Channel name').fill('mock-alpha');
    await page.getByLabel('Provider type').selectOption('openai');
    await page.getByLabel('Base URL').fill(mock.baseUrl);
    await page.getByLabel('Upstream keys (one per line)').fill(`${ALPHA_KEYS[0]}\n${ALPHA_KEYS[1]}\n`);
    await page.getByLabel('Models (comma-separated)').fill('gpt-4o, gpt-4o-mini');
    await page.getByLabel('Tags (comma-separated)').fill('mock, eu');
    await page.getByLabel('Priority').fill('5');
    await page.getByLabel('Weight').fill('3');
    await page.getByLabel('Key selection').selectOption('ROUND_ROBIN');
    await page.getByLabel('Requests per minute').fill('600');

    // A broken JSON object is flagged next to the field and the form refuses to send it.
    const mapping = page.getByLabel('Model mapping (JSON)');
    await mapping.fill('{"gpt-4o": ');
    await expectVisible(page.getByText('Not valid JSON.'));
    expect(await mapping.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await expectVisible(page.getByRole('alert').getByText('Model mapping (JSON): Not valid JSON.'));
    await mapping.fill('["gpt-4o"]');
    await expectVisible(page.getByText('Must be a JSON object', { exact: false }));

    await mapping.fill('{"gpt-4o": "gpt-4o-2024-08-06"}');
    await page.getByLabel('Status code mapping (JSON)').fill('{"400": 500}');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await expectVisible(page.getByRole('status').getByText('Channel “mock-alpha” created.'));

    const row = channelRow('mock-alpha');
    await expectVisible(row);
    await expectVisible(row.getByText('Enabled'));
    await expectVisible(row.getByText('Not checked yet'));
    await expectVisible(row.getByLabel('Tags of mock-alpha').getByText('eu'));
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells).toEqual(expect.arrayContaining(['openai', '5', '3']));
    expect(cells.some((cell) => cell.startsWith(`2 · ${hintOf(ALPHA_KEYS[0])}`))).toBe(true);
    // The create form was reset, the keys are gone from the page.
    expect(await page.getByLabel('Upstream keys (one per line)').inputValue()).toBe('');
    await expectNoKeyInPage();

    const snapshot = await snapshotUntil((candidate) => channelNamed(candidate, 'mock-alpha') !== undefined);
    expect(channelNamed(snapshot, 'mock-alpha')).toMatchObject({
      baseUrl: mock.baseUrl,
      models: ['gpt-4o', 'gpt-4o-mini'],
      modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      statusCodeMapping: { '400': 500 },
      tags: ['mock', 'eu'],
      keySelection: 'round-robin',
      keyIds: ALPHA_KEYS.map((key) => channelKeyId(key)),
      limits: { requestsPerMinute: 600, tokensPerMinute: null, concurrentRequests: null },
    });
    expect(channelNamed(snapshot, 'mock-alpha')?.sealedKeys).toHaveLength(2);
  });

  test('the keys panel disables a key (the snapshot drops it) and re-enables a key the data plane disabled', async () => {
    await channelRow('mock-alpha').getByRole('button', { name: 'Keys of mock-alpha' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keys of “mock-alpha”' });
    await expectVisible(dialog);
    const first = dialog.getByRole('row').filter({ hasText: hintOf(ALPHA_KEYS[0]) });
    const second = dialog.getByRole('row').filter({ hasText: hintOf(ALPHA_KEYS[1]) });
    await expectVisible(first.getByText('Enabled'));
    await expectVisible(second.getByText('Enabled'));

    await second.getByRole('button', { name: `Disable key ${hintOf(ALPHA_KEYS[1])}` }).click();
    await expectVisible(second.getByText('Disabled'));
    await expectVisible(second.getByRole('button', { name: `Enable key ${hintOf(ALPHA_KEYS[1])}` }));
    const snapshot = await snapshotUntil((candidate) => channelNamed(candidate, 'mock-alpha')?.sealedKeys.length === 1);
    expect(channelNamed(snapshot, 'mock-alpha')?.keyIds).toEqual([channelKeyId(ALPHA_KEYS[0])]);

    // The data plane marks the first key bad (as it does on an invalid-key answer); the panel offers to re-enable it.
    const redis = ui.redis;
    const channelId = channelNamed(snapshot, 'mock-alpha')?.id ?? '';
    await redis.sadd(redisKeys.disabledKeys(channelId), channelKeyId(ALPHA_KEYS[0]));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.reload();
    await channelRow('mock-alpha').getByRole('button', { name: 'Keys of mock-alpha' }).click();
    await expectVisible(first.getByText('Auto-disabled'));
    await first.getByRole('button', { name: `Re-enable key ${hintOf(ALPHA_KEYS[0])}` }).click();
    await expectVisible(first.getByText('Enabled'));
    expect(await redis.sismember(redisKeys.disabledKeys(channelId), channelKeyId(ALPHA_KEYS[0]))).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expectVisible(channelRow('mock-alpha').getByText('1 usable'));
    await expectNoKeyInPage();
  });

  test('Test calls the upstream with the chosen (mapped) model and the enabled key, and shows status and latency', async () => {
    if (!mock) throw new Error('mock not started');
    mock.reset();
    await channelRow('mock-alpha').getByRole('button', { name: 'Test mock-alpha' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test “mock-alpha”' });
    await dialog.getByLabel('Model to test').selectOption('gpt-4o');
    await dialog.getByRole('button', { name: 'Run test' }).click();
    const result = dialog.getByTestId('channel-test-result');
    await expectVisible(result.getByText('Works'));
    expect(await result.getAttribute('data-ok')).toBe('true');
    // The measured latency is shown (its value depends on the machine, so only its shape is checked).
    await expectVisible(result.getByText(/^Model gpt-4o · status 200 · \d+ ms$/));

    const chat = mock.requests.find((request) => request.path === '/v1/chat/completions');
    expect(chat?.body).toMatchObject({ model: 'gpt-4o-2024-08-06' });
    // The only enabled key was used; the disabled one never left the server.
    expect(chat?.headers.authorization).toBe(`Bearer ${ALPHA_KEYS[0]}`);

    // A failing upstream shows its status and says so.
    mock.enqueue({ status: 503 });
    await dialog.getByRole('button', { name: 'Run test' }).click();
    await expectVisible(result.getByText('Failed'));
    await expectVisible(result.getByText(/status 503/));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expectNoKeyInPage();
  });

  test('the health column draws the worker sweep history as a sparkline with the failure marked', async () => {
    if (!mock) throw new Error('mock not started');
    mock.reset();
    // Five probes of the one channel: up, up, down (500), up, up; one failure never disables (3 are needed).
    for (const script of [{}, {}, { status: 500 }, {}, {}]) {
      mock.enqueue(script);
      await sweepHealthOnce();
    }
    expect(mock.requests.filter((request) => request.path === '/v1/models')).toHaveLength(5);
    await page.reload();
    const row = channelRow('mock-alpha');
    const sparkline = row.getByTestId('health-sparkline');
    await expectVisible(sparkline);
    expect(await sparkline.getAttribute('data-failures')).toBe('1');
    expect(await sparkline.locator('circle').count()).toBe(5);
    expect(await sparkline.locator('circle[data-outcome="down"]').count()).toBe(1);
    expect(await sparkline.locator('path').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){4}$/);
    expect(await sparkline.locator(':scope > title').textContent()).toMatch(/^Health of mock-alpha: last 5 checks, 1 failed, slowest \d+ ms$/);
    expect(await sparkline.locator('circle[data-outcome="down"] title').textContent()).toMatch(/failed, status 500, \d+ ms$/);
    // Accessible: the picture is an image named by its summary.
    await expectVisible(row.getByRole('img', { name: /Health of mock-alpha/ }));
    await expectVisible(row.getByText('Healthy'));
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
  });

  test('batch: filter by tag, disable every channel with a tag, re-enable a selection', async () => {
    if (!mock) throw new Error('mock not started');
    await page.getByLabel('Channel name').fill('mock-beta');
    await page.getByLabel('Base URL').fill(mock.baseUrl);
    await page.getByLabel('Upstream keys (one per line)').fill(BETA_KEY);
    await page.getByLabel('Models (comma-separated)').fill('gpt-4o-mini');
    await page.getByLabel('Tags (comma-separated)').fill('mock');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await expectVisible(page.getByRole('status').getByText('Channel “mock-beta” created.'));
    await expectVisible(channelRow('mock-beta'));

    await page.getByLabel('Filter by tag').selectOption('eu');
    await expectVisible(channelRow('mock-alpha'));
    expect(await channelRow('mock-beta').count()).toBe(0);

    await page.getByLabel('Filter by tag').selectOption('mock');
    await expectVisible(channelRow('mock-beta'));
    await page.getByRole('button', { name: 'Disable all tagged “mock”' }).click();
    await expectVisible(page.getByRole('status').getByText('2 channel(s) disabled.'));
    await expectVisible(channelRow('mock-alpha').getByText('Disabled'));
    await expectVisible(channelRow('mock-beta').getByText('Disabled'));
    await snapshotUntil((snapshot) => !channelNamed(snapshot, 'mock-alpha') && !channelNamed(snapshot, 'mock-beta'));

    await page.getByRole('checkbox', { name: 'Select mock-beta' }).check();
    await expectVisible(page.getByText('1 selected'));
    await page.getByRole('button', { name: 'Enable selected' }).click();
    await expectVisible(page.getByRole('status').getByText('1 channel(s) enabled.'));
    await expectVisible(channelRow('mock-beta').getByText('Enabled'));
    await expectVisible(channelRow('mock-alpha').getByText('Disabled'));
    const snapshot = await snapshotUntil((candidate) => channelNamed(candidate, 'mock-beta') !== undefined);
    expect(channelNamed(snapshot, 'mock-alpha')).toBeUndefined();
    expect(await page.getByRole('checkbox', { name: 'Select mock-beta' }).isChecked()).toBe(false);
  });

  test('editing shows hints only, adds a key and saves the other fields', async () => {
    await page.getByLabel('Filter by tag').selectOption('');
    await channelRow('mock-beta').getByRole('button', { name: 'Edit mock-beta' }).click();
    const form = page.getByRole('form', { name: 'Edit channel “mock-beta”' });
    await expectVisible(form);
    expect(await form.getByLabel('Channel name').inputValue()).toBe('mock-beta');
    const keys = form.getByLabel('Add upstream keys (one per line)');
    expect(await keys.inputValue()).toBe('');
    await expectVisible(form.getByText(hintOf(BETA_KEY), { exact: false }));
    await keys.fill(ALPHA_KEYS[1]);
    await form.getByLabel('Weight').fill('7');
    await form.getByLabel('Header overrides (JSON)').fill('{"x-team": "search"}');
    await form.getByRole('button', { name: 'Save channel' }).click();
    await expectVisible(page.getByRole('status').getByText('Channel “mock-beta” saved.'));
    await expectVisible(page.getByRole('form', { name: 'Add a channel' }));
    const cells = await channelRow('mock-beta').getByRole('cell').allInnerTexts();
    expect(cells).toEqual(expect.arrayContaining(['7']));
    expect(cells.some((cell) => cell.startsWith('2 ·'))).toBe(true);
    const snapshot = await snapshotUntil((candidate) => channelNamed(candidate, 'mock-beta')?.weight === 7);
    expect(channelNamed(snapshot, 'mock-beta')).toMatchObject({ headerOverrides: { 'x-team': 'search' }, keyIds: [channelKeyId(BETA_KEY), channelKeyId(ALPHA_KEYS[1])] });
    await expectNoKeyInPage();
  });

  test('the keys panel removes a key, and deleting a channel asks first and drops it from the snapshot', async () => {
    await channelRow('mock-beta').getByRole('button', { name: 'Keys of mock-beta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keys of “mock-beta”' });
    await dialog.getByRole('button', { name: `Remove key ${hintOf(ALPHA_KEYS[1])}` }).click();
    await expectHidden(dialog.getByRole('row').filter({ hasText: hintOf(ALPHA_KEYS[1]) }));
    // The last key cannot be removed: a channel needs one.
    expect(await dialog.getByRole('button', { name: `Remove key ${hintOf(BETA_KEY)}` }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await snapshotUntil((snapshot) => channelNamed(snapshot, 'mock-beta')?.keyIds.join() === channelKeyId(BETA_KEY));

    await channelRow('mock-beta').getByRole('button', { name: 'Delete mock-beta' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Delete channel' });
    await expectVisible(confirmation.getByText('Delete “mock-beta”?', { exact: false }));
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await expectVisible(channelRow('mock-beta'));
    await channelRow('mock-beta').getByRole('button', { name: 'Delete mock-beta' }).click();
    await confirmation.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectHidden(channelRow('mock-beta'));
    await snapshotUntil((snapshot) => channelNamed(snapshot, 'mock-beta') === undefined);
    await expectVisible(channelRow('mock-alpha'));
  });

  test('in 中文 the page, the sparkline and the keys panel are translated', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await expectVisible(page.getByRole('heading', { name: '渠道', level: 1 }));
    await expectVisible(page.getByRole('columnheader', { name: '健康状况' }));
    await expectVisible(page.getByRole('heading', { name: '添加渠道' }));
    await expectVisible(page.getByLabel('模型映射（JSON）'));
    await expectVisible(page.getByRole('button', { name: '禁用所选' }));
    const row = page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: '选择 mock-alpha', exact: true }) });
    await expectVisible(row.getByText('已禁用'));
    await expectVisible(row.getByRole('img', { name: /^mock-alpha 的健康状况：最近 5 次检测，失败 1 次/ }));
    await row.getByRole('button', { name: 'mock-alpha 的密钥' }).click();
    const dialog = page.getByRole('dialog', { name: '“mock-alpha”的密钥' });
    // The same key is enabled on mock-beta: each channel keeps its own key status (no shared cache entry by key id).
    await expectVisible(dialog.getByRole('button', { name: `启用密钥 ${hintOf(ALPHA_KEYS[1])}` }));
    await dialog.getByRole('button', { name: '关闭' }).click();
    await page.getByLabel('语言').selectOption('en');
    await expectVisible(page.getByRole('heading', { name: 'Channels', level: 1 }));
  });

  test('no uncaught error was thrown in the page along the way', () => {
    expect(ui.pageErrors).toEqual([]);
  });
});

async function expectNoKeyInPage(): Promise<void> {
  const html = await page.content();
  for (const key of ALL_KEYS) expect(html).not.toContain(key);
}
