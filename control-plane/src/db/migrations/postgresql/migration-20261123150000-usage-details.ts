// Usage logs keep the attempt chain, the cost breakdown, governance tags and the UTC day (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150000UsageDetails extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "usage_logs" add column "attempts" jsonb not null default '[]', add column "cost_breakdown" jsonb null, add column "tags" jsonb not null default '[]', add column "day" varchar(10) not null default '';`);
    this.addSql(`update "usage_logs" set "day" = to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD');`);
    this.addSql('create index "usage_logs_day_model_index" on "usage_logs" ("day", "model");');
  }
}
