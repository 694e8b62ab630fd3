// The README's vendor table is generated from the adapter registry: this fails when the committed table is stale
// (fix: `node scripts/vendor-table.cjs`), and checks the script itself produces the same text.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderVendorTable, VENDOR_TABLE_END, VENDOR_TABLE_START, withVendorTable } from '../src/providers/vendor-table-markdown';

const ROOT = join(__dirname, '..', '..');

test('the README vendor section matches the registry', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(VENDOR_TABLE_START);
  const end = readme.indexOf(VENDOR_TABLE_END);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  expect(readme.slice(start + VENDOR_TABLE_START.length, end).trim()).toBe(renderVendorTable().trim());
});

test('withVendorTable replaces only the marked section', () => {
  const readme = `intro\n${VENDOR_TABLE_START}\nold table\n${VENDOR_TABLE_END}\noutro\n`;
  expect(withVendorTable(readme, 'NEW')).toBe(`intro\n${VENDOR_TABLE_START}\nNEW\n${VENDOR_TABLE_END}\noutro\n`);
  expect(withVendorTable('no markers')).toBeNull();
});

test('the script agrees with the test (`--check` exits 0 on the committed README)', () => {
  const output = execFileSync(process.execPath, [join(ROOT, 'scripts/vendor-table.cjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(output).toContain('current');
});
