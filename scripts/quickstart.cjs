#!/usr/bin/env node
// `npm run quickstart`: one command from a fresh clone to a running gateway. Plain Node, no dependencies, so it works
// before `npm install`. Installs, provisions Redis, builds, then supervises control plane, data plane and workers
// (and with DEMO=1 the mock provider plus a ready demo channel and token). Ctrl-C stops everything.
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = process.env;
const dataDir = path.resolve(root, env.DATA_DIR || 'data');
const demo = env.DEMO === '1' || env.DEMO === 'true';
const host = env.HOST || '0.0.0.0';
const ports = {
  dataPlane: Number(env.DATA_PLANE_PORT || 3000),
  controlPlane: Number(env.CONTROL_PLANE_PORT || 3001),
  redis: Number(env.REDIS_PORT || 6380),
  mock: Number(env.MOCK_PORT || 3099),
};
const startedAt = Date.now();
const children = [];
let stopping = false;

const colors = { redis: 31, control: 34, data: 32, workers: 35, mock: 33, quickstart: 36 };
function say(name, line) {
  const prefix = process.stdout.isTTY ? `\x1b[${colors[name] || 37}m[${name}]\x1b[0m` : `[${name}]`;
  process.stdout.write(`${prefix} ${line}\n`);
}
function fail(message) {
  say('quickstart', `error: ${message}`);
  stopAll(1);
}

function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || null;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    say('quickstart', `Node ${process.versions.node} is too old: NebulaGate needs Node 20.19 or newer.`);
    process.exit(1);
  }
}

function installDependencies() {
  if (env.SKIP_INSTALL === '1') return;
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  say('quickstart', 'installing dependencies (npm install) ...');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
}

function provisionRedis() {
  if (env.REDIS_URL || env.REDIS_CONN_STRING) return null; // an external Redis was given
  if (which('redis-server')) return which('redis-server');
  if (process.getuid && process.getuid() === 0) {
    say('quickstart', 'redis-server is missing: installing it with apt-get ...');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' });
    return which('redis-server');
  }
  say('quickstart', 'redis-server is missing. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server) or set REDIS_URL.');
  process.exit(1);
}

/** Secrets are generated once and kept under ./data: channel keys sealed with CRYPTO_SECRET must stay readable. */
function loadSecrets() {
  const file = path.join(dataDir, 'secrets.env');
  const stored = {};
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match) stored[match[1]] = match[2];
    }
  }
  const secrets = {
    SESSION_SECRET: env.SESSION_SECRET || stored.SESSION_SECRET || crypto.randomBytes(32).toString('base64url'),
    CRYPTO_SECRET: env.CRYPTO_SECRET || stored.CRYPTO_SECRET || crypto.randomBytes(32).toString('base64url'),
  };
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, Object.entries(secrets).map(([key, value]) => `${key}=${value}`).join('\n') + '\n', { mode: 0o600 });
  }
  return secrets;
}

function build() {
  if (env.SKIP_BUILD === '1') return;
  say('quickstart', 'building server packages and admin UI ...');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}

function start(name, command, args, extraEnv) {
  const child = spawn(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push({ name, child });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) say(name, line);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) fail(`${name} exited (${signal || code}); stopping everything`);
  });
  return child;
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(description, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (stopping) throw new Error('stopped');
    if (Date.now() > deadline) throw new Error(`${description} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const healthy = (port) => async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok;

async function graphql(query, variables, sessionToken) {
  const response = await fetch(`http://127.0.0.1:${ports.controlPlane}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sessionToken ? { authorization: `Bearer ${sessionToken}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data;
}

/** DEMO=1: a channel pointing at the mock provider, a price, $5 of credit and a fresh token, written to data/demo.env. */
async function setUpDemo(rootPassword) {
  if (!rootPassword) throw new Error('cannot log in for the demo: set ADMIN_PASSWORD or keep data/initial-root-password');
  const login = await graphql('mutation($input: LoginInput!) { login(input: $input) { sessionToken user { id } } }', {
    input: { username: 'root', password: rootPassword },
  });
  const session = login.login.sessionToken;
  const rootId = login.login.user.id;
  const channels = await graphql('{ channels(first: 100) { edges { node { id name } } } }', {}, session);
  if (!channels.channels.edges.some((edge) => edge.node.name === 'demo-mock')) {
    await graphql('mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } } }', {
      input: { name: 'demo-mock', type: 'openai', baseUrl: `http://127.0.0.1:${ports.mock}/v1`, keys: 'sk-demo-upstream', models: ['gpt-4o-mini'] },
    }, session);
  }
  await graphql('mutation($input: SetModelPriceInput!) { setModelPrice(input: $input) { price { model } } }', {
    input: { model: 'gpt-4o-mini', inputPerMillion: 150000, outputPerMillion: 600000 },
  }, session);
  await graphql('mutation($input: AdjustBalanceInput!) { adjustBalance(input: $input) { user { balance } } }', {
    input: { userId: rootId, amount: 5_000_000, reason: 'quickstart demo credit', idempotencyKey: 'quickstart-demo-credit' },
  }, session);
  const token = await graphql('mutation($input: CreateTokenInput!) { createToken(input: $input) { key } }', {
    input: { name: `demo ${new Date().toISOString()}` },
  }, session);
  const key = token.createToken.key;
  const baseUrl = `http://127.0.0.1:${ports.dataPlane}/v1`;
  fs.writeFileSync(path.join(dataDir, 'demo.env'), `OPENAI_BASE_URL=${baseUrl}\nOPENAI_API_KEY=${key}\n`, { mode: 0o600 });
  return { key, baseUrl };
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('quickstart', 'stopping ...');
  // Stop in reverse start order so Redis goes last and the planes can settle and flush.
  const running = children.slice().reverse().filter(({ child }) => child.exitCode === null && child.signalCode === null);
  let remaining = running.length;
  if (remaining === 0) process.exit(code);
  const next = (index) => {
    const entry = running[index];
    if (!entry) return;
    const killTimer = setTimeout(() => entry.child.kill('SIGKILL'), 10_000);
    entry.child.once('exit', () => {
      clearTimeout(killTimer);
      remaining -= 1;
      if (remaining === 0) process.exit(code);
      else next(index + 1);
    });
    entry.child.kill('SIGTERM');
  };
  next(0);
}

async function main() {
  checkNode();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  installDependencies();
  const redisServer = provisionRedis();
  const secrets = loadSecrets();
  build();

  let redisUrl = env.REDIS_URL || env.REDIS_CONN_STRING;
  if (!redisUrl) {
    if (!(await portFree(ports.redis))) throw new Error(`port ${ports.redis} is taken: set REDIS_PORT or REDIS_URL`);
    fs.mkdirSync(path.join(dataDir, 'redis'), { recursive: true });
    start('redis', redisServer, [
      '--port', String(ports.redis), '--bind', '127.0.0.1', '--dir', path.join(dataDir, 'redis'),
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--protected-mode', 'yes',
    ]);
    redisUrl = `redis://127.0.0.1:${ports.redis}`;
    await waitFor('redis', () => new Promise((resolve) => {
      const socket = net.createConnection(ports.redis, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    }));
  }

  const common = {
    ...secrets,
    REDIS_URL: redisUrl,
    DATABASE_URL: env.DATABASE_URL || env.SQL_DSN || `sqlite:${path.join(dataDir, 'nebulagate.db')}`,
    DATA_DIR: dataDir,
    HOST: host,
    DATA_PLANE_PORT: String(ports.dataPlane),
    CONTROL_PLANE_PORT: String(ports.controlPlane),
    ALLOW_PRIVATE_UPSTREAMS: demo ? 'true' : env.ALLOW_PRIVATE_UPSTREAMS || 'false',
  };
  if (demo) start('mock', process.execPath, [path.join('testing', 'dist', 'mock-provider', 'main.js')], { MOCK_PORT: String(ports.mock) });
  start('control', process.execPath, [path.join('control-plane', 'dist', 'main.js')], common);
  await waitFor('control plane', healthy(ports.controlPlane), 120_000);
  start('data', process.execPath, [path.join('data-plane', 'dist', 'main.js')], common);
  start('workers', process.execPath, [path.join('workers', 'dist', 'main.js')], common);
  await waitFor('data plane', healthy(ports.dataPlane));

  const passwordFile = path.join(dataDir, 'initial-root-password');
  const generatedNow = fs.existsSync(passwordFile) && fs.statSync(passwordFile).mtimeMs >= startedAt - 1000;
  const storedPassword = fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, 'utf8').trim() : null;
  const lines = [
    '',
    'NebulaGate is running.',
    `  API (OpenAI / Claude / Gemini compatible):  http://localhost:${ports.dataPlane}/v1`,
    `  Admin console + GraphQL:                    http://localhost:${ports.controlPlane}/   (GraphQL at /graphql)`,
  ];
  if (env.ADMIN_PASSWORD) lines.push('  Log in as root with the ADMIN_PASSWORD you set.');
  else if (generatedNow) lines.push(`  First root password (shown once, also in ${passwordFile}, mode 0600): ${storedPassword}`);
  else lines.push(`  Log in as root; the first password was printed on the first start (${passwordFile}).`);
  if (demo) {
    const { key, baseUrl } = await setUpDemo(env.ADMIN_PASSWORD || storedPassword);
    lines.push(
      '',
      `Demo: a mock upstream on :${ports.mock}, channel "demo-mock", model gpt-4o-mini, $5 credit for root.`,
      `  Wrote ${path.join(dataDir, 'demo.env')} (OPENAI_BASE_URL, OPENAI_API_KEY). Try:`,
      '',
      `  curl ${baseUrl}/chat/completions -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\`,
      `    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'`,
    );
  }
  lines.push('', 'Press Ctrl-C to stop everything.', '');
  for (const line of lines) say('quickstart', line);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
main().catch((error) => fail(error.message));
