// The console's money pages in a real browser against the real control plane, a private Redis and a throwaway database:
// users (create, group and rate limits published to Redis, balance adjustments), a voucher batch (codes shown once and
// exported as CSV), a user redeeming a code on the Wallet page (wallet in Redis moves, a second try is refused),
// plans (create and assign), token quota, and the zh-CN labels of the new pages.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openDatabase, User, type Database } from '@nebulagate/control-plane';
import { redisKeys } from '@nebulagate/schema';
import { parseLimitsText } from '../../admin-ui/src/features/users/limits-draft';
import { voucherInputOf, EMPTY_VOUCHER_DRAFT } from '../../admin-ui/src/features/vouchers/voucher-draft';
import { parseHundredths } from '../../admin-ui/src/features/wallet/top-up-amount';
import { signedUsdToCredits } from '../../admin-ui/src/lib/usd';
import { ADMIN_PASSWORD, expectHidden, expectVisible, readUntil, signIn, startAdminUiHarness, type AdminUiHarness } from './admin-ui-harness';

/** Full-page pictures of the new pages, for a human to look over after a run. */
const SCREENSHOT_DIRECTORY = tmpdir();
const USERNAME = 'alice-money';
const USER_PASSWORD = 'alice-password-4821';

let ui: AdminUiHarness;
let orm: Database | undefined;
let page: Page;
let aliceId = '';
let voucherCodes: string[] = [];

async function userIdOf(username: string): Promise<string> {
  if (!orm) throw new Error('database not open');
  const user = await orm.orm.em.fork().findOneOrFail(User, { username });
  return user.id;
}

async function readWallet(userId: string): Promise<number | null> {
  const text = await ui.redis.get(redisKeys.wallet(userId));
  return text === null ? null : Number(text);
}

async function openPage(name: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expectVisible(page.getByRole('heading', { name: heading, level: 1 }));
}

beforeAll(async () => {
  ui = await startAdminUiHarness({ allowPrivateUpstreams: false, viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
  page = ui.page;
  orm = await openDatabase(ui.database.url, { migrate: false });
}, 240_000);

afterAll(async () => {
  await orm?.close();
  await ui?.close();
}, 60_000);

describe('pure readers behind the money pages', () => {
  test.each([
    [{ requestsPerMinute: '', tokensPerMinute: '', concurrentRequests: '' }, true, null],
    [{ requestsPerMinute: '', tokensPerMinute: '', concurrentRequests: '' }, false, { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null }],
    [{ requestsPerMinute: '30', tokensPerMinute: ' ', concurrentRequests: '2' }, true, { requestsPerMinute: 30, tokensPerMinute: null, concurrentRequests: 2 }],
    [{ requestsPerMinute: '0', tokensPerMinute: '', concurrentRequests: '' }, true, 'invalid'],
    [{ requestsPerMinute: '1.5', tokensPerMinute: '', concurrentRequests: '' }, false, 'invalid'],
  ])('parseLimitsText(%p, emptyMeansNull=%p) is %p', (text, emptyMeansNull, expected) => {
    expect(parseLimitsText(text, emptyMeansNull)).toEqual(expected);
  });

  test.each([
    ['1.5', 1_500_000],
    ['-1.5', -1_500_000],
    ['$2', 2_000_000],
    ['', null],
    ['-', null],
    ['x', null],
  ])('signedUsdToCredits(%p) is %p', (text, credits) => {
    expect(signedUsdToCredits(text)).toBe(credits);
  });

  test.each([
    ['10', 1000],
    ['10.5', 1050],
    ['$0.01', 1],
    ['0', null],
    ['1.001', null],
    ['', null],
  ])('parseHundredths(%p) is %p', (text, hundredths) => {
    expect(parseHundredths(text)).toBe(hundredths);
  });

  test('voucher drafts: USD becomes credits, a gift code is one code, a plan voucher needs a plan', () => {
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '5', count: '3', prefix: ' GIFT ', groups: 'vip, pro' })).toEqual(
      expect.objectContaining({ amount: 5_000_000, count: 3, prefix: 'GIFT', groups: ['vip', 'pro'], oncePerUser: true, giftCode: null }),
    );
    // An empty "redemptions per code" is left out (the server default), never sent as null (which means unlimited).
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '5' })).not.toHaveProperty('maxRedemptions');
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '5', maxRedemptions: '3' })).toEqual(expect.objectContaining({ maxRedemptions: 3 }));
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '1', count: '9', giftCode: 'WELCOME2026' })).toEqual(
      expect.objectContaining({ count: 1, giftCode: 'WELCOME2026' }),
    );
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '0' })).toBe('invalid');
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, amountUsd: '1', count: '0' })).toBe('invalid');
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, kind: 'PLAN' })).toBe('invalid');
    expect(voucherInputOf({ ...EMPTY_VOUCHER_DRAFT, kind: 'PLAN', planId: 'p1', planPeriods: '2' })).toEqual(
      expect.not.objectContaining({ amount: expect.anything() }),
    );
  });
});

describe('money pages in Chromium', () => {
  test('root sees the new pages in the navigation', async () => {
    await page.goto(ui.controlPlane.url);
    await signIn(page, 'root', ADMIN_PASSWORD);
    await expectVisible(page.getByText('Signed in as root'));
    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Wallet', 'Users', 'Vouchers', 'Plans']) {
      await expectVisible(navigation.getByRole('link', { name, exact: true }));
    }
  });

  test('root creates a user, who is listed with a $0.00 balance', async () => {
    await openPage('Users', 'Users');
    const form = page.getByRole('form', { name: 'Create a user' });
    await expectVisible(form.getByLabel('Role'));
    await form.getByLabel('Username').fill(USERNAME);
    await form.getByLabel('Initial password').fill(USER_PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await expectVisible(page.getByRole('status').getByText(`User “${USERNAME}” created.`));
    const row = page.getByRole('row').filter({ hasText: USERNAME });
    await expectVisible(row.getByText('$0.00'));
    await expectVisible(row.getByText('Group defaults'));
    aliceId = await userIdOf(USERNAME);
  });

  test('editing the group and rate limits is listed and published to the Redis user record', async () => {
    await page.getByRole('button', { name: `Edit ${USERNAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit user “${USERNAME}”` });
    await dialog.getByLabel('Group', { exact: true }).fill('vip');
    await dialog.getByLabel('Requests per minute').fill('30');
    await dialog.getByLabel('Concurrent requests').fill('2');
    await dialog.getByRole('button', { name: 'Save user' }).click();
    await expectHidden(dialog);
    const row = page.getByRole('row').filter({ hasText: USERNAME });
    await expectVisible(row.getByText('rpm 30 · tpm — · concurrent 2'));
    expect(await row.getByRole('cell').allInnerTexts()).toContain('vip');
    await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, 'nebulagate-admin-money-users.png'), fullPage: true });

    const record = await readUntil(
      async () => JSON.parse((await ui.redis.get(redisKeys.user(aliceId))) ?? '{}') as { group?: string; limits?: Record<string, unknown> | null },
      (value) => value.group === 'vip',
    );
    expect(record).toEqual(expect.objectContaining({ id: aliceId, status: 'active', group: 'vip' }));
    expect(record.limits).toEqual(expect.objectContaining({ requestsPerMinute: 30, concurrentRequests: 2 }));
    expect(record.limits?.tokensPerMinute ?? null).toBeNull();
  });

  test('an input the form cannot read is refused before anything is sent', async () => {
    await page.getByRole('button', { name: `Edit ${USERNAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit user “${USERNAME}”` });
    expect(await dialog.getByLabel('Requests per minute').inputValue()).toBe('30');
    await dialog.getByLabel('Requests per minute').fill('-4');
    await dialog.getByRole('button', { name: 'Save user' }).click();
    await expectVisible(dialog.getByRole('alert').getByText('Each limit must be a positive whole number, or empty.'));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectHidden(dialog);
  });

  test('adjusting the balance in USD books credits', async () => {
    await page.getByRole('button', { name: `Adjust balance ${USERNAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `Adjust the balance of “${USERNAME}”` });
    await dialog.getByLabel('Amount (USD)').fill('1.50');
    await dialog.getByLabel('Reason').fill('welcome credit');
    await dialog.getByRole('button', { name: 'Adjust balance' }).click();
    await expectHidden(dialog);
    await expectVisible(page.getByRole('row').filter({ hasText: USERNAME }).getByText('$1.50'));
    expect(await readUntil(() => readWallet(aliceId), (value) => value === 1_500_000)).toBe(1_500_000);
  });

  test('a credit voucher batch shows its codes once, is listed, and its CSV downloads', async () => {
    await openPage('Vouchers', 'Vouchers');
    const form = page.getByRole('form', { name: 'Create vouchers' });
    await form.getByLabel('Amount per code (USD)').fill('5');
    await form.getByLabel('Number of codes').fill('2');
    await form.getByLabel('Code prefix (optional)').fill('GIFT');
    await form.getByLabel('Only these groups (optional)').fill('vip');
    await form.getByRole('button', { name: 'Create vouchers' }).click();
    const codeList = page.getByRole('list', { name: 'Codes' });
    await expectVisible(codeList);
    voucherCodes = await codeList.getByRole('listitem').allInnerTexts();
    expect(voucherCodes).toHaveLength(2);
    for (const code of voucherCodes) expect(code.startsWith('GIFT-')).toBe(true);
    // Two rows of $5.00, each not yet redeemed and only for vip.
    const rows = page.getByRole('row').filter({ hasText: '$5.00' });
    await expectVisible(rows);
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['0 / 1', 'vip']));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^vouchers-.+\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    for (const code of voucherCodes) expect(csv).toContain(code);
    await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, 'nebulagate-admin-money-vouchers.png'), fullPage: true });
  });

  test('the user redeems a code on the Wallet page: balance and Redis wallet move by $5', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await signIn(page, USERNAME, USER_PASSWORD);
    await expectVisible(page.getByText(`Signed in as ${USERNAME}`));
    const navigation = page.getByRole('navigation', { name: 'Main' });
    expect(await navigation.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await openPage('Wallet', 'Wallet');
    const balance = page.getByTestId('wallet-balance');
    await expectVisible(balance.getByText('$1.50'));
    await expectVisible(page.getByText('No plan'));
    const before = await readWallet(aliceId);
    expect(before).toBe(1_500_000);

    const form = page.getByRole('form', { name: 'Redeem a code' });
    await form.getByLabel('Voucher code').fill(voucherCodes[0] ?? '');
    await form.getByRole('button', { name: 'Redeem' }).click();
    await expectVisible(form.getByRole('status').getByText('Redeemed: $5.00 added to your balance.'));
    await expectVisible(balance.getByText('$6.50'));
    expect(await readUntil(() => readWallet(aliceId), (value) => value === 6_500_000)).toBe(6_500_000);
    const ledgerRow = page.getByRole('row').filter({ hasText: 'voucher' });
    await expectVisible(ledgerRow.getByText('$6.50'));
    await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, 'nebulagate-admin-money-wallet.png'), fullPage: true });
  });

  test('redeeming the same code again shows the CONFLICT message and moves no money', async () => {
    const form = page.getByRole('form', { name: 'Redeem a code' });
    await form.getByLabel('Voucher code').fill(voucherCodes[0] ?? '');
    await form.getByRole('button', { name: 'Redeem' }).click();
    const alert = form.getByRole('alert');
    await expectVisible(alert.getByText('This code cannot be redeemed again (already used, used up or expired).'));
    expect(await alert.getAttribute('data-error-code')).toBe('CONFLICT');
    await expectVisible(page.getByTestId('wallet-balance').getByText('$6.50'));
    expect(await readWallet(aliceId)).toBe(6_500_000);
  });

  test('root creates a monthly plan and assigns it to the user, whose plan allowance appears in Redis', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await signIn(page, 'root', ADMIN_PASSWORD);
    await expectVisible(page.getByText('Signed in as root'));
    await openPage('Plans', 'Plans');
    await expectVisible(page.getByText('No plans yet.'));
    const form = page.getByRole('form', { name: 'Create a plan' });
    await form.getByLabel('Plan name').fill('pro-monthly');
    await form.getByLabel('Period', { exact: true }).selectOption('month');
    await form.getByLabel('Allowance per period (USD)').fill('20');
    await form.getByLabel('Display price (optional)').fill('$20 / month');
    await form.getByRole('button', { name: 'Save plan' }).click();
    await expectVisible(page.getByRole('status').getByText('Plan “pro-monthly” saved.'));
    const row = page.getByRole('row').filter({ hasText: 'pro-monthly' });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['Monthly', '$20.00', '$20 / month', 'Active']));

    const assign = page.getByRole('form', { name: 'Assign a plan' });
    await assign.getByLabel('Plan', { exact: true }).selectOption({ label: 'pro-monthly' });
    await assign.getByLabel('User', { exact: true }).selectOption({ label: USERNAME });
    // With an end date: the server keeps it and the notice shows it back.
    await assign.getByLabel('Ends on (optional)').fill('2099-01-01');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await expectVisible(assign.getByRole('status').getByText(`Plan assigned to “${USERNAME}” until 2099-01-01.`));
    const allowance = await readUntil(async () => Number((await ui.redis.get(redisKeys.planAllowance(aliceId))) ?? '0'), (value) => value > 0);
    expect(allowance).toBe(20_000_000);
  });

  test("a key's quota and rate limits are edited from the tokens page", async () => {
    await openPage('API tokens', 'API tokens');
    await page.getByLabel('Token name').fill('money-bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('dialog', { name: 'Your new API key' }).getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'money-bot' });
    await row.getByRole('button', { name: 'Limits money-bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Quota and limits of “money-bot”' });
    const unlimited = dialog.getByLabel('No spending cap on this key');
    if (await unlimited.isChecked()) await unlimited.uncheck();
    await dialog.getByLabel('Quota (USD)').fill('3');
    await dialog.getByLabel('Requests per minute').fill('12');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectHidden(dialog);
    await expectVisible(row.getByText('$0.00 of $3.00 used', { exact: false }));
    await row.getByRole('button', { name: 'Limits money-bot' }).click();
    expect(await dialog.getByLabel('Requests per minute').inputValue()).toBe('12');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectHidden(dialog);
  });

  test('the new pages speak zh-CN', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    const navigation = page.getByRole('navigation', { name: '主导航' });
    for (const name of ['钱包', '用户', '兑换码', '套餐']) {
      await expectVisible(navigation.getByRole('link', { name, exact: true }));
    }
    await navigation.getByRole('link', { name: '用户', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: '用户', level: 1 }));
    await expectVisible(page.getByRole('button', { name: '创建用户' }));
    await expectVisible(page.getByRole('row').filter({ hasText: USERNAME }).getByText('$6.50'));
    await navigation.getByRole('link', { name: '兑换码', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: '创建兑换码' }));
    await navigation.getByRole('link', { name: '套餐', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: '分配套餐' }));
    await navigation.getByRole('link', { name: '钱包', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: '兑换码兑换' }));
    await page.getByLabel('语言').selectOption('en');
  });

  test('no uncaught error was thrown in the page along the way', () => {
    expect(ui.pageErrors).toEqual([]);
  });
});
