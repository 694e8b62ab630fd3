// Rate caps per API key and per user (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123160000Limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "limits" jsonb not null default '{"requestsPerMinute":null,"tokensPerMinute":null,"concurrentRequests":null}';`);
    this.addSql('alter table "users" add column "limits" jsonb null;');
  }
}
