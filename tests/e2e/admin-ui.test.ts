// The admin console in a real browser (Debian's chromium driven by playwright-core) against the real control plane,
// a private Redis and a throwaway database: sign in, tokens (key shown once, revoke), channels, language switch.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startControlPlane } from '@nebulagate/control-plane';
import { redisKeys } from '@nebulagate/schema';
import { createTestDatabase, startRedisServer, type RedisServerHandle, type TestDatabase } from '@nebulagate/testing';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const ADMIN_UI_DIRECTORY = join(REPOSITORY_ROOT, 'admin-ui');
const ADMIN_UI_DIST = join(ADMIN_UI_DIRECTORY, 'dist');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ADMIN_PASSWORD = 'e2e-root-password-8d1f3a';
const SCREENSHOT_PATH = join(tmpdir(), 'nebulagate-admin-ui-tokens.png');

type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

let redisServer: RedisServerHandle | undefined;
let database: TestDatabase | undefined;
let dataDirectory: string | undefined;
let controlPlane: ControlPlane | undefined;
let redis: Redis | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;

/** The key shown once at creation, kept to prove it never appears again. */
let createdKey = '';
/** Uncaught exceptions in the page; the console must get through the whole flow without one. */
const pageErrors: string[] = [];

function buildAdminUiWhenMissing(): void {
  // CI builds the UI before testing (npm run build); a bare `npx jest tests/e2e` builds it here once.
  if (existsSync(join(ADMIN_UI_DIST, 'index.html'))) return;
  execFileSync(process.execPath, [join(REPOSITORY_ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: ADMIN_UI_DIRECTORY,
    // jest sets NODE_ENV=test, which would make vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
    timeout: 170_000,
  });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Waits for the control plane's Redis write to land (publication may trail the GraphQL answer by a moment). */
async function readTokenRecord(key: string, until: (record: string | null) => boolean): Promise<string | null> {
  if (!redis) throw new Error('redis client not started');
  let record: string | null = null;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    record = await redis.get(redisKeys.token(sha256Hex(key)));
    if (until(record)) return record;
    await new Promise((settle) => setTimeout(settle, 100));
  }
  return record;
}

beforeAll(async () => {
  buildAdminUiWhenMissing();
  redisServer = await startRedisServer();
  database = await createTestDatabase();
  dataDirectory = mkdtempSync(join(tmpdir(), 'ng-e2e-data-'));
  controlPlane = await startControlPlane({
    host: '127.0.0.1',
    port: 0,
    databaseUrl: database.url,
    redisUrl: redisServer.url,
    sessionSecret: 'e2e-session-secret-0123456789abcdef',
    cryptoSecret: 'e2e-crypto-secret-0123456789abcdef',
    adminPassword: ADMIN_PASSWORD,
    dataDir: dataDirectory,
    adminUiDir: ADMIN_UI_DIST,
    // Off, as in production: the channel test below relies on the save-time SSRF guard.
    allowPrivateUpstreams: false,
    cookieSecure: false,
  });
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: false });
  // launch() gives every run a fresh temporary profile (user-data-dir) and deletes it on close.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  // A fixed locale so the default language is English whatever the machine's locale is.
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: controlPlane.url });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await controlPlane?.close();
  redis?.disconnect();
  await redisServer?.stop();
  await database?.drop();
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
}, 60_000);

describe('admin UI in Chromium', () => {
  test('a wrong password shows a translated error, the right one signs in as root', async () => {
    if (!controlPlane) throw new Error('control plane not started');
    await page.goto(controlPlane.url);
    await expectVisible(page.getByRole('heading', { name: 'Sign in to NebulaGate' }));

    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('alert').getByText('Wrong username or password.'));

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
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
    expect(pageErrors).toEqual([]);
  });
});

async function expectVisible(locator: ReturnType<Page['getByRole']>): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

async function expectHidden(locator: ReturnType<Page['getByRole']>): Promise<void> {
  await locator.waitFor({ state: 'hidden' });
}
