// Governance rules (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123130000Governance extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "governance_rules" ("id" varchar(36) not null, "name" varchar(255) not null, "sort_order" int not null, "enabled" boolean not null default true, "patterns" jsonb not null, "keywords" jsonb not null, "case_sensitive" boolean not null, "models" jsonb null, "paths" jsonb null, "scope_groups" jsonb null, "token_ids" jsonb null, "action" text not null, "mask_with" varchar(255) not null, "reroute_model" varchar(255) null, "block_message" varchar(1024) null, "tag" varchar(255) null, "record_match" boolean not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "governance_rules_pkey" primary key ("id"));');
  }
}
