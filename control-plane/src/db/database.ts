// Opens the database and brings its schema up to date. Used by the control plane and by the workers.
import { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import type { DatabaseKind } from '../config';
import { createOrmOptions } from './orm-config';

export interface Database {
  orm: MikroORM;
  kind: DatabaseKind;
  close(): Promise<void>;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Runs pending migrations. Two processes may start at once (control plane + workers): the loser re-checks and moves on. */
export async function migrateDatabase(orm: MikroORM): Promise<void> {
  const migrator = orm.getMigrator() as Migrator;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await migrator.up();
      return;
    } catch (error) {
      await sleep(200 * attempt);
      const pending = await migrator.getPendingMigrations().catch(() => null);
      if (pending !== null && pending.length === 0) return;
      if (attempt >= 5) throw error;
    }
  }
}

export async function openDatabase(databaseUrl: string, options: { migrate?: boolean; poolMax?: number } = {}): Promise<Database> {
  const { kind, options: ormOptions } = createOrmOptions(databaseUrl, { poolMax: options.poolMax });
  const orm = await MikroORM.init(ormOptions);
  if (options.migrate !== false) await migrateDatabase(orm);
  return {
    orm,
    kind,
    async close() {
      await orm.close(true);
    },
  };
}
