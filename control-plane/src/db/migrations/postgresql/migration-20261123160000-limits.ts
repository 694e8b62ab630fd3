// Rate caps, routing group and IP allow-list per API key; rate caps per user (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123160000Limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "limits" jsonb not null default '{"requestsPerMinute":null,"tokensPerMinute":null,"concurrentRequests":null}';`);
    this.addSql('alter table "api_tokens" add column "token_group" varchar(64) null, add column "ip_allow_list" jsonb null;');
    this.addSql('alter table "users" add column "limits" jsonb null;');
  }
}
