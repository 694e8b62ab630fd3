// Usage logs keep the attempt chain, the cost breakdown, governance tags and the UTC day (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150000UsageDetails extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table `usage_logs` add column `attempts` json not null default '[]';");
    this.addSql('alter table `usage_logs` add column `cost_breakdown` json null;');
    this.addSql("alter table `usage_logs` add column `tags` json not null default '[]';");
    this.addSql("alter table `usage_logs` add column `day` text not null default '';");
    // MikroORM stores sqlite datetimes as epoch milliseconds.
    this.addSql("update `usage_logs` set `day` = strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch');");
    this.addSql('create index `usage_logs_day_model_index` on `usage_logs` (`day`, `model`);');
  }
}
