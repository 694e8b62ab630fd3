#!/usr/bin/env node
// Rewrites the README's vendor table (between <!-- vendors:start --> and <!-- vendors:end -->) from the data plane's
// adapter registry. `--check` only reports whether the committed table is current (exit 1 when stale).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..');
// Workspace packages are TypeScript sources here: point @nebulagate/* at src/ (as jest's moduleNameMapper does).
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspace(request, ...rest) {
  const match = /^@nebulagate\/(schema|testing|data-plane)$/.exec(request);
  return resolveFilename.call(this, match ? path.join(root, match[1], 'src', 'index.ts') : request, ...rest);
};
require('@swc-node/register');
const { withVendorTable } = require(path.join(root, 'data-plane/src/providers/vendor-table-markdown.ts'));

const readmePath = path.join(root, 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const updated = withVendorTable(readme);
if (updated === null) {
  console.error('README.md has no <!-- vendors:start --> ... <!-- vendors:end --> section');
  process.exit(1);
}
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README vendor table is stale: run `node scripts/vendor-table.cjs`');
    process.exit(1);
  }
  console.log('README vendor table is current');
} else if (updated !== readme) {
  fs.writeFileSync(readmePath, updated);
  console.log('README vendor table updated');
} else {
  console.log('README vendor table already current');
}
