// Channels get per-key state, routing settings (tags, key selection, overrides, status mapping, limits) and health (postgresql).
import { Migration } from '@mikro-orm/migrations';

const COLUMNS = [
  `"key_states" jsonb not null default '[]'`,
  `"tags" jsonb not null default '[]'`,
  `"key_selection" varchar(16) not null default 'random'`,
  `"parameter_overrides" jsonb not null default '{}'`,
  `"header_overrides" jsonb not null default '{}'`,
  `"status_code_mapping" jsonb not null default '{}'`,
  `"limits" jsonb not null default '{"requestsPerMinute":null,"tokensPerMinute":null,"concurrentRequests":null}'`,
  `"auto_disabled" boolean not null default false`,
  `"health_status" varchar(16) not null default 'unknown'`,
  `"last_checked_at" timestamptz null`,
  `"last_latency_ms" int null`,
  `"consecutive_failures" int not null default 0`,
  `"consecutive_successes" int not null default 0`,
  `"health_history" jsonb not null default '[]'`,
  `"upstream_balance" jsonb null`,
  `"health_claimed_at" timestamptz null`,
];

export class Migration20261123100000Channels extends Migration {
  override async up(): Promise<void> {
    for (const column of COLUMNS) this.addSql(`alter table "channels" add column ${column};`);
  }

  override async down(): Promise<void> {
    for (const column of COLUMNS) this.addSql(`alter table "channels" drop column ${column.split(' ')[0]};`);
  }
}
