// The set-up the admin-console browser tests share: the built UI, a private Redis, a throwaway database, the real
// control plane serving the UI, and Debian's chromium (driven by playwright-core) on one fresh page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { chromium, type Locator, type Page } from 'playwright-core';
import { startControlPlane } from '@nebulagate/control-plane';
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

/** Root's password on every harness control plane. */
export const ADMIN_PASSWORD = 'e2e-root-password-8d1f3a';
/** The control plane's sealing secret, for tests that run a worker job against the same database. */
export const CRYPTO_SECRET = 'e2e-crypto-secret-0123456789abcdef';

export type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

export interface AdminUiHarnessOptions {
  /** Off in production (the save-time SSRF guard refuses loopback); on when the mock provider is an upstream. */
  allowPrivateUpstreams: boolean;
  viewport: { width: number; height: number };
  /** A fixed time zone, for pages whose dates the test reads. */
  timezoneId?: string;
  /** Lets the page read and write the clipboard (a Copy button). */
  clipboard?: boolean;
}

export interface AdminUiHarness {
  redisServer: RedisServerHandle;
  database: TestDatabase;
  controlPlane: ControlPlane;
  /** A client of the control plane's Redis, to read what it published. */
  redis: Redis;
  page: Page;
  /** Uncaught exceptions in the page; the console must get through a whole flow without one. */
  pageErrors: string[];
  /** Stops everything that was started, newest first. */
  close(): Promise<void>;
}

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

export async function startAdminUiHarness(options: AdminUiHarnessOptions): Promise<AdminUiHarness> {
  buildAdminUiWhenMissing();
  const cleanups: Array<() => unknown> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const redisServer = await startRedisServer();
    cleanups.push(() => redisServer.stop());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dataDirectory = mkdtempSync(join(tmpdir(), 'ng-e2e-admin-ui-'));
    cleanups.push(() => rmSync(dataDirectory, { recursive: true, force: true }));
    const controlPlane = await startControlPlane({
      host: '127.0.0.1',
      port: 0,
      databaseUrl: database.url,
      redisUrl: redisServer.url,
      sessionSecret: 'e2e-session-secret-0123456789abcdef',
      cryptoSecret: CRYPTO_SECRET,
      adminPassword: ADMIN_PASSWORD,
      dataDir: dataDirectory,
      adminUiDir: ADMIN_UI_DIST,
      allowPrivateUpstreams: options.allowPrivateUpstreams,
      cookieSecure: false,
    });
    cleanups.push(() => controlPlane.close());
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    cleanups.push(() => redis.disconnect());
    // launch() gives every run a fresh temporary profile (user-data-dir) and deletes it on close.
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    // A fixed locale so the default language is English whatever the machine's locale is.
    const context = await browser.newContext({ locale: 'en-US', timezoneId: options.timezoneId, viewport: options.viewport });
    cleanups.push(() => context.close());
    if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: controlPlane.url });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
    return { redisServer, database, controlPlane, redis, page, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Fills the sign-in form and submits it; the caller checks what the page shows next. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

export async function expectHidden(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden' });
}

/** Reads until `until` holds, since publication may trail the GraphQL answer by a moment; gives the last read either way. */
export async function readUntil<Value>(read: () => Promise<Value>, until: (value: Value) => boolean, attempts = 50): Promise<Value> {
  let value = await read();
  for (let attempt = 1; attempt < attempts && !until(value); attempt += 1) {
    await new Promise((settle) => setTimeout(settle, 100));
    value = await read();
  }
  return value;
}
