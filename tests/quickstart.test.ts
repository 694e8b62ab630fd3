// `DEMO=1 npm run quickstart` on a fresh data directory serves the curl it prints, and Ctrl-C stops everything.
// Runs the built packages (scripts/test-ci.sh builds before the tests), skipping install and build here.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, freePort } from '@nebulagate/testing';

const root = resolve(__dirname, '..');
let child: ChildProcess;
let directory: string;
let output = '';

beforeAll(() => {
  for (const entry of ['control-plane/dist/main.js', 'data-plane/dist/main.js', 'workers/dist/main.js', 'testing/dist/mock-provider/main.js']) {
    if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }
  directory = mkdtempSync(join(tmpdir(), 'ng-quickstart-'));
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

it('starts every plane, sets up the demo and serves the printed curl', async () => {
  const [dataPlanePort, controlPlanePort, redisPort, mockPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO: '1',
    SKIP_INSTALL: '1',
    SKIP_BUILD: '1',
    DATA_DIR: directory,
    HOST: '127.0.0.1',
    DATA_PLANE_PORT: String(dataPlanePort),
    CONTROL_PLANE_PORT: String(controlPlanePort),
    REDIS_PORT: String(redisPort),
    MOCK_PORT: String(mockPort),
  };
  for (const name of ['ADMIN_PASSWORD', 'REDIS_URL', 'REDIS_CONN_STRING', 'DATABASE_URL', 'SQL_DSN', 'CRYPTO_SECRET', 'SESSION_SECRET']) delete environment[name];
  child = spawn(process.execPath, [join(root, 'scripts', 'quickstart.cjs')], { cwd: root, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  await eventually(async () => output.includes('Press Ctrl-C to stop everything.') || undefined, 90_000, 200).catch((error: Error) => {
    throw new Error(`${error.message}\n--- quickstart output ---\n${output}`);
  });

  // The first root password is printed once and stored with mode 0600.
  const passwordFile = join(directory, 'initial-root-password');
  const password = readFileSync(passwordFile, 'utf8').trim();
  expect(password.length).toBeGreaterThanOrEqual(16);
  expect(output).toContain(password);
  expect(statSync(passwordFile).mode & 0o777).toBe(0o600);

  // demo.env holds what the OpenAI SDKs read; the printed curl works.
  const demo = Object.fromEntries(
    readFileSync(join(directory, 'demo.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  expect(demo.OPENAI_BASE_URL).toBe(`http://127.0.0.1:${dataPlanePort}/v1`);
  expect(output).toContain(`curl ${demo.OPENAI_BASE_URL}/chat/completions -H "Authorization: Bearer ${demo.OPENAI_API_KEY}"`);
  const response = await fetch(`${demo.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.OPENAI_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  expect(body.choices[0]?.message.content).toContain('mock provider');

  // Ctrl-C stops every process it started.
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(fetch(`http://127.0.0.1:${dataPlanePort}/health`)).rejects.toThrow();
}, 150_000);
