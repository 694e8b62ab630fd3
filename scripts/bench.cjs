#!/usr/bin/env node
// `npm run bench [-- --quick | --soak [--soak-minutes N]] [--out DIR] [--no-build]`
// Compiles what the benchmark runs (schema, testing, data-plane, bench) to dist/ with swc, then starts the harness
// pinned to CPU 1 with taskset; the harness pins each relay under test to CPU 0. Results: bench/results/<date>.*
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { existsSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const passThrough = process.argv.slice(2);

function available(command, probeArguments) {
  const probe = spawnSync(command, probeArguments, { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

if (!available('redis-server', ['--version'])) {
  process.stderr.write('bench: redis-server is not installed (apt-get install -y redis-server); the data plane needs it.\n');
  process.exit(1);
}
if (!available('rsvg-convert', ['--version'])) {
  process.stdout.write('bench: rsvg-convert is missing (apt-get install -y librsvg2-bin): the chart will be written as SVG only, no PNG.\n');
}

if (!passThrough.includes('--no-build')) {
  // Same swc invocation as scripts/build-server.cjs, limited to the packages the benchmark loads, so a half-edited
  // control plane elsewhere in the checkout cannot break a benchmark run.
  const swc = path.join(root, 'node_modules', '.bin', 'swc');
  for (const name of ['schema', 'testing', 'data-plane', 'bench']) {
    const packageDirectory = path.join(root, name);
    if (!existsSync(path.join(packageDirectory, 'src'))) continue;
    rmSync(path.join(packageDirectory, 'dist'), { recursive: true, force: true });
    execFileSync(
      swc,
      ['src', '-d', 'dist', '--strip-leading-paths', '--config-file', path.join(root, '.swcrc'), '--ignore', '**/*.test.ts', '--quiet'],
      { stdio: 'inherit', cwd: packageDirectory },
    );
  }
  process.stdout.write('bench: compiled schema, testing, data-plane, bench\n');
}

const entry = path.join(root, 'bench', 'dist', 'run-bench.js');
if (!existsSync(entry)) {
  process.stderr.write(`bench: ${entry} is missing; run without --no-build\n`);
  process.exit(1);
}
const pin = process.platform === 'linux' && os.availableParallelism() >= 2 && available('taskset', ['-c', '1', 'true']);
if (!pin) process.stdout.write('bench: taskset or a second CPU is unavailable; running unpinned (figures are noisier).\n');
const command = pin ? 'taskset' : process.execPath;
const commandArguments = pin ? ['-c', '1', process.execPath, entry, ...passThrough] : [entry, ...passThrough];
const child = spawn(command, commandArguments, { stdio: 'inherit', cwd: root });
// Forward Ctrl-C / termination so the harness can stop its children and Redis servers.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
