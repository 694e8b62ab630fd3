// Gives each test file its own empty database: a temp SQLite file, or a fresh PostgreSQL database on the server that
// scripts/test-ci.sh started (TEST_DB=postgres, admin URL in NEBULA_TEST_PG_URL).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export type TestDatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** A DATABASE_URL the control plane accepts: `sqlite:/path/file.db` or `postgres://...`. */
  url: string;
  drop(): Promise<void>;
}

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'ng-sqlite-'));
    return {
      kind,
      url: `sqlite:${join(directory, 'test.db')}`,
      async drop() {
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.NEBULA_TEST_PG_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs NEBULA_TEST_PG_URL (scripts/test-ci.sh sets it)');
  const name = `ng_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
