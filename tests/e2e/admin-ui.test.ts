// The admin console in a real browser (Debian's chromium driven by playwright-core) against the real control plane,
// a private Redis and a throwaway database: sign in, tokens (key shown once, revoke), channels, language switch.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { redisKeys } from '@nebulagate/schema';
import { ADMIN_PASSWORD, expectHidden, expectVisible, readUntil, signIn, startAdminUiHarness, type AdminUiHarness } from './admin-ui-harness';

const SCREENSHOT_PATH = join(tmpdir(), 'nebulagate-admin-ui-tokens.png');

let ui: AdminUiHarness;
let page: Page;

/** The key shown once at creation, kept to prove it never appears again. */
let createdKey = '';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The token record the data plane reads, once it satisfies `until`. */
async function readTokenRecord(key: string, until: (record: string | null) => boolean): Promise<string | null> {
  return readUntil(() => ui.redis.get(redisKeys.token(sha256Hex(key))), until);
}

beforeAll(async () => {
  // Private upstreams off, as in production: the channel test below relies on the save-time SSRF guard.
  ui = await startAdminUiHarness({ allowPrivateUpstreams: false, viewport: { width: 1280, height: 860 }, clipboard: true });
  page = ui.page;
}, 240_000);

afterAll(() => ui?.close(), 60_000);

describe('admin UI in Chromium', () => {
  test('a wrong password shows a translated error, the right one signs in as root', async () => {
    await page.goto(ui.controlPlane.url);
    await expectVisible(page.getByRole('heading', { name: 'Sign in to NebulaGate' }));

    await signIn(page, 'root', 'not-the-password');
    await expectVisible(page.getByRole('alert').getByText('Wrong username or password.'));

    await signIn(page, 'root', ADMIN_PASSWORD);
    await expectVisible(page.getByText('Signed in as root'));
    const navigation = page.getByRole('navigation', { name: 'Main' });
    await expectVisible(navigation.getByRole('link', { name: 'API tokens' }));
    await expectVisible(navigation.getByRole('link', { name: 'Channels' }));
    await expectVisible(navigation.getByRole('link', { name: 'Usage' }));
    await expectVisible(page.getByRole('heading', { name: 'API tokens', level: 1 }));
  });

  test('creating a token shows the whole key once, with a working Copy button', async () => {
    await page.getByLabel('Token name').fill('e2e-ci-bot');
    await page.getByRole('button', { name: 'Create token' }).click();

    const dialog = page.getByRole('dialog', { name: 'Your new API key' });
    await expectVisible(dialog);
    createdKey = await dialog.getByLabel('API key').inputValue();
    expect(createdKey).toMatch(/^sk-ng-[0-9A-Za-z]{20,}$/);

    await dialog.getByRole('button', { name: 'Copy' }).click();
    await expectVisible(dialog.getByText('Copied'));
    // A string expression: it runs in the page, where `navigator` exists (this file has no DOM typings).
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(createdKey);

    // The key shown is the real one: the control plane published a record under its hash.
    const record = await readTokenRecord(createdKey, (value) => value !== null);
    expect(record).not.toBeNull();
    expect(JSON.parse(record ?? '{}')).toMatchObject({ status: 'active' });

    await dialog.getByRole('button', { name: 'Done' }).click();
    await expectHidden(dialog);
    expect(await page.content()).not.toContain(createdKey);
  });

  test('the new token is listed with its prefix and status, and the key is gone after a reload', async () => {
    const row = page.getByRole('row').filter({ hasText: 'e2e-ci-bot' });
    await expectVisible(row);
    await expectVisible(row.getByText('Active'));
    const prefix = (await row.locator('code').innerText()).replace(/(…|\.\.\.)$/, '');
    expect(prefix.length).toBeGreaterThan('sk-ng-'.length);
    expect(createdKey.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(createdKey.length);

    await page.reload();
    await expectVisible(page.getByRole('row').filter({ hasText: 'e2e-ci-bot' }));
    expect(await page.content()).not.toContain(createdKey);
  });

  test('revoking asks for confirmation, then the status changes to Revoked (and stays so)', async () => {
    const row = page.getByRole('row').filter({ hasText: 'e2e-ci-bot' });
    await row.getByRole('button', { name: 'Revoke e2e-ci-bot' }).click();

    const confirmation = page.getByRole('dialog', { name: 'Revoke token' });
    await expectVisible(confirmation.getByText('Revoke “e2e-ci-bot”?', { exact: false }));
    // Cancel first: nothing changes.
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await expectHidden(confirmation);
    await expectVisible(row.getByText('Active'));

    await row.getByRole('button', { name: 'Revoke e2e-ci-bot' }).click();
    await confirmation.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expectHidden(confirmation);
    await expectVisible(row.getByText('Revoked'));
    expect(await row.getByRole('button', { name: 'Revoke e2e-ci-bot' }).count()).toBe(0);

    // The data plane's view: the token record is revoked or gone.
    const record = await readTokenRecord(createdKey, (value) => value === null || value.includes('"revoked"'));
    if (record !== null) expect(JSON.parse(record)).toMatchObject({ status: 'revoked' });

    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

    // A full reload: the status comes from the server, not from the browser's cache.
    await page.reload();
    await expectVisible(page.getByRole('row').filter({ hasText: 'e2e-ci-bot' }).getByText('Revoked'));
  });

  test('creating a channel: a private base URL is refused with a translated error, a public one is listed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Channels', level: 1 }));

    const upstreamKey = 'sk-upstream-e2e-0123456789abcdef';
    await page.getByLabel('Channel name').fill('deepseek-main');
    await page.getByLabel('Provider type').selectOption('deepseek');
    await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
    await page.getByLabel('Upstream keys (one per line)').fill(`${upstreamKey}\nsk-upstream-e2e-second-key-9876`);
    await page.getByLabel('Models (comma-separated)').fill('deepseek-chat, deepseek-reasoner');
    await page.getByLabel('Priority').fill('5');
    await page.getByLabel('Weight').fill('3');
    await page.getByRole('button', { name: 'Create channel' }).click();
    const alert = page.getByRole('alert');
    await expectVisible(alert.getByText('Some of the values you entered are not valid.'));
    await expectVisible(alert.getByText(/private|loopback/));

    // The form keeps what was typed; only the base URL needs fixing.
    await page.getByLabel('Base URL').fill('https://api.deepseek.com');
    await page.getByRole('button', { name: 'Create channel' }).click();
    await expectVisible(page.getByRole('status').getByText('Channel “deepseek-main” created.'));

    const row = page.getByRole('row').filter({ hasText: 'deepseek-main' });
    await expectVisible(row);
    await expectVisible(row.getByText('https://api.deepseek.com'));
    await expectVisible(row.getByText('deepseek-chat, deepseek-reasoner'));
    await expectVisible(row.getByText('Enabled'));
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells).toEqual(expect.arrayContaining(['deepseek', '5', '3']));
    expect(cells.some((cell) => cell.startsWith('2 ·'))).toBe(true);
    // Upstream keys are write-only: never echoed back to the browser.
    expect(await page.content()).not.toContain(upstreamKey);
  });

  test('switching to 中文 translates the console and survives a reload', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    const navigation = page.getByRole('navigation', { name: '主导航' });
    await expectVisible(navigation.getByRole('link', { name: 'API 令牌' }));
    await expectVisible(navigation.getByRole('link', { name: '渠道' }));
    await expectVisible(navigation.getByRole('link', { name: '用量' }));
    await expectVisible(page.getByRole('heading', { name: '渠道', level: 1 }));
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.reload();
    await expectVisible(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '用量' }));
    await page.getByRole('link', { name: '用量' }).click();
    await expectVisible(page.getByRole('heading', { name: '用量日志', level: 1 }));
    await expectVisible(page.getByText('还没有请求记录。'));
  });

  test('logging out returns to the sign-in page and the session is gone', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await expectVisible(page.getByRole('heading', { name: '登录 NebulaGate' }));
    // A full reload: the server no longer accepts the session cookie.
    await page.reload();
    await expectVisible(page.getByRole('heading', { name: '登录 NebulaGate' }));
  });

  test('no uncaught error was thrown in the page along the way', () => {
    expect(ui.pageErrors).toEqual([]);
  });
});
