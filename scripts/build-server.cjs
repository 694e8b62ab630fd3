#!/usr/bin/env node
// Compiles every server package's src/ to dist/ with swc (type checking is `npm run typecheck`, done separately).
const { execFileSync } = require('node:child_process');
const { rmSync, existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const packages = ['schema', 'testing', 'data-plane', 'control-plane', 'workers', 'bench'];
const swc = path.join(root, 'node_modules', '.bin', 'swc');

for (const name of packages) {
  const source = path.join(root, name, 'src');
  if (!existsSync(source)) continue;
  const output = path.join(root, name, 'dist');
  rmSync(output, { recursive: true, force: true });
  execFileSync(
    swc,
    ['src', '-d', 'dist', '--strip-leading-paths', '--config-file', path.join(root, '.swcrc'), '--ignore', '**/*.test.ts', '--quiet'],
    { stdio: 'inherit', cwd: path.join(root, name) },
  );
  process.stdout.write(`built ${name}\n`);
}
