// The console's admin pages in a real browser (Debian's chromium driven by playwright-core) against the real control
// plane, a private Redis and a throwaway database: governance rules (listed and published in the snapshot), gateway
// settings, price ratio import with preview, the price calculator, the usage chart over seeded rows, and zh-CN.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openDatabase, UsageLog, UsageStatus, User, type Database } from '@nebulagate/control-plane';
import { redisKeys } from '@nebulagate/schema';
import { axisTicks, dayRange, listDays, stackUsageByDay } from '../../admin-ui/src/features/usage/usage-chart-data';
import { formatUsdShort, usdToCredits } from '../../admin-ui/src/lib/usd';
import { ADMIN_PASSWORD, expectHidden, expectVisible, readUntil, signIn, startAdminUiHarness, type AdminUiHarness } from './admin-ui-harness';

const SCREENSHOT_PATH = join(tmpdir(), 'nebulagate-admin-console-usage.png');

let ui: AdminUiHarness;
let orm: Database | undefined;
let page: Page;

// The browser computes its range from the same clock, so seeded rows land on today and yesterday of its chart.
const { to: TODAY } = dayRange(1, new Date());
const { from: YESTERDAY } = dayRange(2, new Date());

/** Usage rows as the billing worker writes them: two models today, one yesterday, one request retried once. */
async function seedUsage(database: Database): Promise<void> {
  const em = database.orm.em.fork();
  const root = await em.findOneOrFail(User, { username: 'root' });
  const rows = [
    { model: 'gpt-4o', day: TODAY, cost: 1_500, status: UsageStatus.SUCCESS, retried: true, tags: ['legal'] },
    { model: 'gpt-4o', day: TODAY, cost: 500, status: UsageStatus.SUCCESS, retried: false, tags: [] },
    { model: 'claude-sonnet-4', day: TODAY, cost: 700, status: UsageStatus.ERROR, retried: false, tags: [] },
    { model: 'gpt-4o', day: YESTERDAY, cost: 250, status: UsageStatus.SUCCESS, retried: false, tags: [] },
  ];
  rows.forEach((row, index) => {
    const success = { channelId: 'channel-b', keyId: null, status: 200, errorCode: null, durationMs: 40 };
    const failure = { channelId: 'channel-a', keyId: null, status: 502, errorCode: 'upstream_error', durationMs: 15 };
    em.create(UsageLog, {
      requestId: `console-${index}`,
      userId: root.id,
      tokenId: 'token',
      model: row.model,
      endpoint: '/v1/chat/completions',
      status: row.status,
      httpStatus: row.status === UsageStatus.SUCCESS ? 200 : 502,
      promptTokens: 100 * (index + 1),
      completionTokens: 10 * (index + 1),
      cost: row.cost,
      // Seconds apart, so the log's newest-first order is the reverse of this list.
      createdAt: new Date(`${row.day}T00:00:0${index}Z`),
      day: row.day,
      attempts: row.retried ? [failure, success] : [success],
      tags: row.tags,
      costBreakdown: { input: row.cost - 200, output: 200, cacheRead: 0, cacheWrite: 0, perCall: 0 },
    });
  });
  await em.flush();
}

interface SnapshotRule {
  name: string;
  order: number;
  action: string;
  tag: string | null;
  match: { patterns: string[]; keywords: string[] };
}

/** The governance rules of the snapshot the data plane reads, once they satisfy `until`. */
async function readSnapshotRules(until: (rules: SnapshotRule[]) => boolean): Promise<SnapshotRule[]> {
  return readUntil(async () => {
    const text = await ui.redis.get(redisKeys.snapshotCurrent);
    return text ? ((JSON.parse(text) as { governanceRules?: SnapshotRule[] }).governanceRules ?? []) : [];
  }, until);
}

beforeAll(async () => {
  // A fixed time zone so dates read the same on every machine.
  ui = await startAdminUiHarness({ allowPrivateUpstreams: false, viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  page = ui.page;
  orm = await openDatabase(ui.database.url, { migrate: false });
  await seedUsage(orm);
}, 240_000);

afterAll(async () => {
  await orm?.close();
  await ui?.close();
}, 60_000);

describe('pure helpers behind the console', () => {
  test.each([
    [2_500_000, '$2.50'],
    [150_000, '$0.15'],
    [1_234, '$0.001234'],
    [0, '$0.00'],
    [12_000_000, '$12.00'],
  ])('formatUsdShort(%p) is %p', (credits, text) => {
    expect(formatUsdShort(credits)).toBe(text);
  });

  test.each([
    ['2.5', 2_500_000],
    ['$0.15', 150_000],
    ['0', 0],
    ['', null],
    ['-1', null],
    ['abc', null],
  ])('usdToCredits(%p) is %p', (text, credits) => {
    expect(usdToCredits(text)).toBe(credits);
  });

  test('day ranges are inclusive UTC days, and every day gets a slot', () => {
    expect(dayRange(7, new Date('2026-03-02T23:59:00Z'))).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(listDays('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(listDays('bad', '2026-03-01')).toEqual([]);
  });

  test('stacks add up per day, largest model first', () => {
    const entry = { requests: 1, errors: 0, promptTokens: 10, completionTokens: 5 };
    const stacks = stackUsageByDay(
      [
        { ...entry, day: '2026-01-01', model: 'small', cost: 10 },
        { ...entry, day: '2026-01-01', model: 'big', cost: 30 },
        { ...entry, day: '2026-01-02', model: 'big', cost: 50 },
      ],
      ['2026-01-01', '2026-01-02', '2026-01-03'],
      'cost',
    );
    expect(stacks.models).toEqual(['big', 'small']);
    expect(stacks.largestTotal).toBe(50);
    expect(stacks.days.map((day) => day.total)).toEqual([40, 50, 0]);
    expect(stacks.days[0]?.segments).toEqual([
      { model: 'big', value: 30, base: 0 },
      { model: 'small', value: 10, base: 30 },
    ]);
    expect(stackUsageByDay([{ ...entry, day: '2026-01-01', model: 'm', cost: 1 }], ['2026-01-01'], 'tokens').largestTotal).toBe(15);
  });

  test.each([
    [0, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [2_000, [0, 500, 1_000, 1_500, 2_000]],
    [2_700, [0, 1_000, 2_000, 3_000]],
  ])('axisTicks(%p) is %p', (largest, ticks) => {
    expect(axisTicks(largest)).toEqual(ticks);
  });
});

describe('admin console pages in Chromium', () => {
  test('root signs in and sees the admin pages in the navigation', async () => {
    await page.goto(ui.controlPlane.url);
    await signIn(page, 'root', ADMIN_PASSWORD);
    await expectVisible(page.getByText('Signed in as root'));
    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Prices', 'Governance', 'Settings']) {
      await expectVisible(navigation.getByRole('link', { name }));
    }
  });

  test('a governance rule: the server refuses a pattern RE2 cannot run, then the rule is listed and published', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Governance' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Governance rules', level: 1 }));
    await expectVisible(page.getByText('No rules yet.'));

    const form = page.getByRole('form', { name: 'Add a rule' });
    await form.getByLabel('Rule name').fill('no-ssn');
    await form.getByLabel('Order').fill('5');
    await form.getByLabel('Action').selectOption('BLOCK');
    await form.getByLabel('Message shown when blocked (optional)').fill('Personal data is not allowed.');
    await form.getByLabel('Regular expressions (one per line)').fill('secret(?=plan)');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const alert = form.getByRole('alert');
    await expectVisible(alert.getByText('Some of the values you entered are not valid.'));
    await expectVisible(alert.getByText(/not a valid RE2 regular expression/));

    // One pattern per line, so a pattern with a comma in it stays whole.
    await form.getByLabel('Regular expressions (one per line)').fill('\\bssn:\\s*\\d{3}-\\d{2}-\\d{4}\\b\nacct-\\d{6,12}');
    await form.getByLabel('Keywords').fill('social security, passport');
    await form.getByLabel('Only these models').fill('gpt-4o');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expectVisible(page.getByRole('status').getByText('Rule “no-ssn” saved.'));

    const row = page.getByRole('row').filter({ hasText: 'no-ssn' });
    await expectVisible(row.getByText('Block'));
    await expectVisible(row.getByText('Enabled'));
    await expectVisible(row.getByText('models: gpt-4o; groups: any'));
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells[0]).toBe('5');

    const published = await readSnapshotRules((rules) => rules.some((rule) => rule.name === 'no-ssn'));
    expect(published).toEqual([
      expect.objectContaining({
        name: 'no-ssn',
        order: 5,
        action: 'block',
        match: expect.objectContaining({
          patterns: ['\\bssn:\\s*\\d{3}-\\d{2}-\\d{4}\\b', 'acct-\\d{6,12}'],
          keywords: ['social security', 'passport'],
        }),
      }),
    ]);
  });

  test('editing a rule turns it into a tag rule, in the list and in the snapshot', async () => {
    const row = page.getByRole('row').filter({ hasText: 'no-ssn' });
    await row.getByRole('button', { name: 'Edit no-ssn' }).click();
    const form = page.getByRole('form', { name: 'Edit rule “no-ssn”' });
    expect(await form.getByLabel('Order').inputValue()).toBe('5');
    await form.getByLabel('Action').selectOption('TAG');
    await form.getByLabel('Tag', { exact: true }).fill('pii');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await expectVisible(page.getByRole('form', { name: 'Add a rule' }));
    await expectVisible(page.getByRole('row').filter({ hasText: 'no-ssn' }).getByText('Tag', { exact: true }));

    const published = await readSnapshotRules((rules) => rules.some((rule) => rule.action === 'tag'));
    expect(published).toEqual([expect.objectContaining({ name: 'no-ssn', action: 'tag', tag: 'pii' })]);
  });

  test('deleting a rule asks first, then removes it from the list and from the snapshot', async () => {
    await page.getByRole('row').filter({ hasText: 'no-ssn' }).getByRole('button', { name: 'Delete no-ssn' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Delete rule' });
    await expectVisible(confirmation.getByText('Delete “no-ssn”?', { exact: false }));
    await confirmation.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectHidden(confirmation);
    await expectVisible(page.getByText('No rules yet.'));
    expect(await readSnapshotRules((rules) => rules.length === 0)).toEqual([]);
  });

  test('changing gateway settings saves them (and they are still there after a reload)', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Gateway settings', level: 1 }));
    const attempts = page.getByLabel('Attempts per request');
    await expectVisible(attempts);
    const before = await attempts.inputValue();
    const next = before === '4' ? '5' : '4';
    await attempts.fill(next);
    await page.getByLabel('Requests / minute').first().fill('600');
    const multipliers = page.getByRole('group', { name: 'Price multipliers per user group' });
    await multipliers.getByRole('button', { name: 'Add group' }).click();
    await multipliers.getByPlaceholder('Group').last().fill('vip');
    await multipliers.getByPlaceholder('Multiplier').last().fill('0.8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectVisible(page.getByRole('status').getByText('Settings saved.'));

    await page.reload();
    await expectVisible(page.getByRole('heading', { name: 'Gateway settings', level: 1 }));
    expect(await page.getByLabel('Attempts per request').inputValue()).toBe(next);
    expect(await page.getByLabel('Requests / minute').first().inputValue()).toBe('600');
    const groups = page.getByRole('group', { name: 'Price multipliers per user group' }).getByPlaceholder('Group');
    const values: string[] = [];
    for (let index = 0; index < (await groups.count()); index += 1) values.push(await groups.nth(index).inputValue());
    expect(values).toContain('vip');
  });

  test('a ratio document is previewed first (nothing saved), then applied; the price is listed and quoted', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Prices' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Model prices', level: 1 }));
    await expectVisible(page.getByText('No prices yet.'));

    const importCard = page.getByRole('region', { name: 'Import one-api / new-api ratios' });
    const document = JSON.stringify({ model_ratio: { 'gpt-4o-mini': 0.075 }, completion_ratio: { 'gpt-4o-mini': 4 } });
    await importCard.getByLabel('Ratio document (JSON)').fill(document);
    await importCard.getByRole('button', { name: 'Preview' }).click();
    await expectVisible(importCard.getByText('Preview of 1 model price(s). Nothing is saved until you apply.'));
    const previewRow = importCard.getByRole('row').filter({ hasText: 'gpt-4o-mini' });
    expect(await previewRow.getByRole('cell').allInnerTexts()).toEqual(['gpt-4o-mini', '$0.15', '$0.60', '= input', '= input', '$0.00', 'New']);
    // A preview saves nothing.
    await expectVisible(page.getByText('No prices yet.'));

    await importCard.getByRole('button', { name: 'Apply' }).click();
    await expectVisible(importCard.getByText('Applied: 1 model price(s) saved.'));
    const listed = page.getByRole('table', { name: 'All prices' }).getByRole('row').filter({ hasText: 'gpt-4o-mini' });
    await expectVisible(listed);
    expect((await listed.getByRole('cell').allInnerTexts()).slice(0, 3)).toEqual(['gpt-4o-mini', '$0.15', '$0.60']);

    const calculator = page.getByRole('form', { name: 'Price calculator' });
    await calculator.getByLabel('Model').fill('gpt-4o-mini');
    await calculator.getByLabel('Prompt tokens').fill('1000000');
    await calculator.getByLabel('Completion tokens').fill('1000000');
    await calculator.getByRole('button', { name: 'Calculate' }).click();
    await expectVisible(calculator.getByRole('status').getByText(/gpt-4o-mini: \$0\.75/));
  });

  test('the usage chart stacks the seeded rows per day and model, with titles; the log shows attempts and tags', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Usage log', level: 1 }));
    const chart = page.getByRole('img', { name: 'Daily cost by model (USD)' });
    await expectVisible(chart);
    const bars = chart.locator('rect.usage-chart__bar');
    await bars.first().waitFor({ state: 'visible' });
    expect(await bars.count()).toBe(3);
    expect((await chart.locator('rect.usage-chart__bar > title').allTextContents()).sort()).toEqual(
      [`${TODAY} · gpt-4o: $0.002000`, `${TODAY} · claude-sonnet-4: $0.000700`, `${YESTERDAY} · gpt-4o: $0.000250`].sort(),
    );
    // Today's gpt-4o bar is drawn taller than yesterday's.
    const heightOf = async (day: string, model: string) =>
      Number(await chart.locator(`rect[data-day="${day}"][data-model="${model}"]`).getAttribute('height'));
    expect(await heightOf(TODAY, 'gpt-4o')).toBeGreaterThan(await heightOf(YESTERDAY, 'gpt-4o'));

    await page.getByRole('group', { name: 'Measure' }).getByRole('button', { name: 'Requests' }).click();
    const requestsChart = page.getByRole('img', { name: 'Daily requests by model' });
    await expectVisible(requestsChart);
    expect(await requestsChart.locator(`rect[data-day="${TODAY}"][data-model="gpt-4o"] > title`).textContent()).toBe(`${TODAY} · gpt-4o: 2`);
    // The same numbers for screen readers, in a visually hidden table.
    const dataTable = page.getByRole('table', { name: 'Daily requests by model' });
    expect(await dataTable.getByRole('row').filter({ hasText: 'claude-sonnet-4' }).getByRole('cell').allTextContents()).toEqual([
      TODAY,
      'claude-sonnet-4',
      '1',
    ]);
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '30 days' }).click();
    expect(await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
    await expectVisible(requestsChart.locator(`rect[data-day="${YESTERDAY}"]`));

    const retried = page.getByRole('row').filter({ hasText: '2 attempts' });
    await expectVisible(retried);
    await retried.getByText('2 attempts').click();
    await expectVisible(retried.getByText('channel channel-a · 502 · 15 ms'));
    await expectVisible(retried.getByText('upstream_error'));
    await expectVisible(retried.getByText('legal'));
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
  });

  test('switching to 中文 translates the new pages and the chart', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await expectVisible(page.getByRole('heading', { name: '用量日志', level: 1 }));
    const chart = page.getByRole('img', { name: '按模型的每日请求数' });
    expect(await chart.locator(`rect[data-day="${TODAY}"][data-model="gpt-4o"] > title`).textContent()).toBe(`${TODAY} · gpt-4o：2`);
    await expectVisible(page.getByRole('row').filter({ hasText: '2 次尝试' }));

    const navigation = page.getByRole('navigation', { name: '主导航' });
    const pages: Array<[string, string]> = [
      ['价格', '模型价格'],
      ['内容治理', '内容治理规则'],
      ['设置', '网关设置'],
    ];
    for (const [link, heading] of pages) {
      await navigation.getByRole('link', { name: link }).click();
      await expectVisible(page.getByRole('heading', { name: heading, level: 1 }));
    }
    await expectVisible(page.getByRole('button', { name: '保存设置' }));
  });

  test('a user sees prices read-only, can use the calculator, and sees only their own usage', async () => {
    await createUser(ui.controlPlane.url, 'erin', 'erin-password-0a7f');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('语言').selectOption('en');
    await signIn(page, 'erin', 'erin-password-0a7f');
    await expectVisible(page.getByText('Signed in as erin'));
    const navigation = page.getByRole('navigation', { name: 'Main' });
    expect(await navigation.getByRole('link').allInnerTexts()).toEqual(['API tokens', 'Wallet', 'Usage', 'Prices']);

    await navigation.getByRole('link', { name: 'Prices' }).click();
    const row = page.getByRole('table', { name: 'All prices' }).getByRole('row').filter({ hasText: 'gpt-4o-mini' });
    await expectVisible(row);
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Set a price' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Import one-api / new-api ratios' }).count()).toBe(0);
    const calculator = page.getByRole('form', { name: 'Price calculator' });
    await calculator.getByLabel('Model').fill('gpt-4o-mini');
    await calculator.getByLabel('Prompt tokens').fill('2000000');
    await calculator.getByLabel('Completion tokens').fill('0');
    await calculator.getByRole('button', { name: 'Calculate' }).click();
    await expectVisible(calculator.getByRole('status').getByText(/gpt-4o-mini: \$0\.30/));

    // Admin pages are not reachable by URL either: the shell sends the user to their tokens.
    await page.goto(`${ui.controlPlane.url}/#/governance`);
    await expectVisible(page.getByRole('heading', { name: 'API tokens', level: 1 }));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await expectVisible(page.getByRole('img', { name: 'Daily cost by model (USD)' }));
    await expectVisible(page.getByText('No usage in this range.'));
    expect(await page.locator('rect.usage-chart__bar').count()).toBe(0);
  });

  test('no uncaught error was thrown in the page along the way', () => {
    expect(ui.pageErrors).toEqual([]);
  });
});

/** Creates a plain user through the GraphQL API, signed in as root with a bearer session. */
async function createUser(baseUrl: string, username: string, password: string): Promise<void> {
  const call = async (query: string, variables: Record<string, unknown>, sessionToken?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (sessionToken) headers.authorization = `Bearer ${sessionToken}`;
    const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: Record<string, { sessionToken?: string }> | null; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
    return body.data ?? {};
  };
  const login = await call('mutation ($input: LoginInput!) { login(input: $input) { sessionToken } }', {
    input: { username: 'root', password: ADMIN_PASSWORD },
  });
  const sessionToken = login.login?.sessionToken;
  if (!sessionToken) throw new Error('root login returned no session token');
  await call('mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', { input: { username, password } }, sessionToken);
}
