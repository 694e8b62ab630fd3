// Channels get per-key state, routing settings (tags, key selection, overrides, status mapping, limits) and health (sqlite).
import { Migration } from '@mikro-orm/migrations';

const COLUMNS = [
  "`key_states` json not null default '[]'",
  "`tags` json not null default '[]'",
  "`key_selection` text not null default 'random'",
  "`parameter_overrides` json not null default '{}'",
  "`header_overrides` json not null default '{}'",
  "`status_code_mapping` json not null default '{}'",
  '`limits` json not null default \'{"requestsPerMinute":null,"tokensPerMinute":null,"concurrentRequests":null}\'',
  '`auto_disabled` integer not null default false',
  "`health_status` text not null default 'unknown'",
  '`last_checked_at` datetime null',
  '`last_latency_ms` integer null',
  '`consecutive_failures` integer not null default 0',
  '`consecutive_successes` integer not null default 0',
  "`health_history` json not null default '[]'",
  '`upstream_balance` json null',
  '`health_claimed_at` datetime null',
];

export class Migration20261123100000Channels extends Migration {
  override async up(): Promise<void> {
    for (const column of COLUMNS) this.addSql(`alter table \`channels\` add column ${column};`);
  }

  override async down(): Promise<void> {
    for (const column of COLUMNS) this.addSql(`alter table \`channels\` drop column ${column.split(' ')[0]};`);
  }
}
