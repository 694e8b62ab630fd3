// Governance rules (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130000Governance extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table `governance_rules` (`id` text not null, `name` text not null, `sort_order` integer not null, `enabled` integer not null default true, `patterns` json not null, `keywords` json not null, `case_sensitive` integer not null, `models` json null, `paths` json null, `scope_groups` json null, `token_ids` json null, `action` text not null, `mask_with` text not null, `reroute_model` text null, `block_message` text null, `tag` text null, `record_match` integer not null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));");
  }
}
