// Rate caps, routing group and IP allow-list per API key; rate caps per user (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123160000Limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`api_tokens\` add column \`limits\` json not null default '{"requestsPerMinute":null,"tokensPerMinute":null,"concurrentRequests":null}';`);
    this.addSql('alter table `api_tokens` add column `token_group` text null;');
    this.addSql('alter table `api_tokens` add column `ip_allow_list` json null;');
    this.addSql('alter table `users` add column `limits` json null;');
  }
}
