// Every sqlite migration in order. Listed explicitly so the swc-built dist/ runs them without file globbing.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20250101000000Initial } from './migration-20250101000000-initial';
import { Migration20261123100000Channels } from './migration-20261123100000-channels';
import { Migration20261123110000Money } from './migration-20261123110000-money';
import { Migration20261123120000Plans } from './migration-20261123120000-plans';
import { Migration20261123130000Governance } from './migration-20261123130000-governance';
import { Migration20261123140000Settings } from './migration-20261123140000-settings';
import { Migration20261123150000UsageDetails } from './migration-20261123150000-usage-details';
import { Migration20261123160000Limits } from './migration-20261123160000-limits';
import { Migration20261124090000Notices } from './migration-20261124090000-notices';

export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20250101000000Initial', class: Migration20250101000000Initial },
  { name: 'Migration20261123100000Channels', class: Migration20261123100000Channels },
  { name: 'Migration20261123110000Money', class: Migration20261123110000Money },
  { name: 'Migration20261123120000Plans', class: Migration20261123120000Plans },
  { name: 'Migration20261123130000Governance', class: Migration20261123130000Governance },
  { name: 'Migration20261123140000Settings', class: Migration20261123140000Settings },
  { name: 'Migration20261123150000UsageDetails', class: Migration20261123150000UsageDetails },
  { name: 'Migration20261123160000Limits', class: Migration20261123160000Limits },
  { name: 'Migration20261124090000Notices', class: Migration20261124090000Notices },
];
