// MikroORM options for SQLite or PostgreSQL, picked from DATABASE_URL. Migrations are registered explicitly per driver.
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { parseDatabaseUrl, type DatabaseKind } from '../config';
import { ENTITIES } from './entities';
import { postgresqlMigrations } from './migrations/postgresql';
import { sqliteMigrations } from './migrations/sqlite';

interface SqliteConnectionHandle {
  run(sql: string, callback: (error: Error | null) => void): void;
}

export function createOrmOptions(databaseUrl: string, overrides: { poolMax?: number } = {}): { kind: DatabaseKind; options: Options } {
  const location = parseDatabaseUrl(databaseUrl);
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    allowGlobalContext: false,
    debug: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    // Discovery from the explicit list only; entities carry explicit property types (swc emits no design types for unions).
    discovery: { warnWhenNoEntities: true },
  } satisfies Options;
  if (location.kind === 'sqlite') {
    mkdirSync(dirname(location.target), { recursive: true });
    return {
      kind: 'sqlite',
      options: {
        ...common,
        driver: SqliteDriver,
        dbName: location.target,
        pool: {
          min: 1,
          max: 1,
          // WAL + a busy timeout let the control plane and the workers share one file without "database is locked".
          afterCreate: (connection: SqliteConnectionHandle, done: (error: Error | null, connection: SqliteConnectionHandle) => void) => {
            connection.run('PRAGMA journal_mode = WAL', (walError) => {
              if (walError) return done(walError, connection);
              connection.run('PRAGMA busy_timeout = 10000', (busyError) => {
                if (busyError) return done(busyError, connection);
                connection.run('PRAGMA foreign_keys = ON', (foreignKeyError) => done(foreignKeyError, connection));
              });
            });
          },
        },
        migrations: { migrationsList: sqliteMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
      },
    };
  }
  return {
    kind: 'postgresql',
    options: {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: location.target,
      pool: { min: 0, max: overrides.poolMax ?? 10 },
      migrations: { migrationsList: postgresqlMigrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    },
  };
}
