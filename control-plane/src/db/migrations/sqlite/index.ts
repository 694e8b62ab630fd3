// Every sqlite migration in order. Listed explicitly so the swc-built dist/ runs them without file globbing.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20250101000000Initial } from './migration-20250101000000-initial';

export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20250101000000Initial', class: Migration20250101000000Initial },
];
