// Initial schema (postgresql). Generated once from the entities with MikroORM's schema generator, then frozen.
import { Migration } from '@mikro-orm/migrations';

export class Migration20250101000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "audit_logs" ("id" varchar(36) not null, "actor_id" varchar(64) null, "action" varchar(64) not null, "target" varchar(255) null, "before" jsonb null, "after" jsonb null, "ip" varchar(64) null, "created_at" timestamptz not null, constraint "audit_logs_pkey" primary key ("id"));');
    this.addSql('create index "audit_logs_created_at_index" on "audit_logs" ("created_at");');
    this.addSql("create table \"channels\" (\"id\" varchar(36) not null, \"name\" varchar(128) not null, \"type\" varchar(32) not null, \"base_url\" varchar(2048) not null, \"sealed_keys\" jsonb not null, \"key_hint_value\" varchar(32) not null default '', \"models\" jsonb not null, \"model_mapping\" jsonb not null, \"groups\" jsonb not null, \"priority\" int not null default 0, \"weight\" int not null default 1, \"status\" varchar(16) not null default 'enabled', \"created_at\" timestamptz not null, \"updated_at\" timestamptz not null, constraint \"channels_pkey\" primary key (\"id\"));");
    this.addSql('create table "ledger_entries" ("id" varchar(36) not null, "user_id" varchar(64) not null, "kind" varchar(32) not null, "amount" bigint not null, "balance_after" bigint not null, "reason" varchar(1024) not null, "actor_id" varchar(64) null, "idempotency_key" varchar(255) not null, "created_at" timestamptz not null, constraint "ledger_entries_pkey" primary key ("id"));');
    this.addSql('alter table "ledger_entries" add constraint "ledger_entries_idempotency_key_unique" unique ("idempotency_key");');
    this.addSql('create index "ledger_entries_user_id_created_at_index" on "ledger_entries" ("user_id", "created_at");');
    this.addSql('create table "model_prices" ("id" varchar(36) not null, "model" varchar(255) not null, "input_per_million" bigint not null default 0, "output_per_million" bigint not null default 0, "cache_read_per_million" bigint null, "cache_write_per_million" bigint null, "per_call" bigint not null default 0, "default_max_output_tokens" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "model_prices_pkey" primary key ("id"));');
    this.addSql('alter table "model_prices" add constraint "model_prices_model_unique" unique ("model");');
    this.addSql('create table "usage_logs" ("id" varchar(36) not null, "request_id" varchar(128) not null, "user_id" varchar(64) not null, "token_id" varchar(64) not null, "channel_id" varchar(64) null, "model" varchar(255) not null, "upstream_model" varchar(255) null, "endpoint" varchar(255) not null, "stream" boolean not null default false, "status" varchar(16) not null, "http_status" int not null, "prompt_tokens" int not null default 0, "completion_tokens" int not null default 0, "cache_read_tokens" int not null default 0, "cache_write_tokens" int not null default 0, "estimated" boolean not null default false, "cost" bigint not null default 0, "reserved" bigint not null default 0, "snapshot_version" int not null default 0, "duration_ms" int not null default 0, "first_byte_ms" int null, "client_ip" varchar(64) null, "error_code" varchar(64) null, "created_at" timestamptz not null, "billed_at" timestamptz not null, constraint "usage_logs_pkey" primary key ("id"));');
    this.addSql('alter table "usage_logs" add constraint "usage_logs_request_id_unique" unique ("request_id");');
    this.addSql('create index "usage_logs_user_id_created_at_index" on "usage_logs" ("user_id", "created_at");');
    this.addSql('create index "usage_logs_created_at_id_index" on "usage_logs" ("created_at", "id");');
    this.addSql("create table \"users\" (\"id\" varchar(36) not null, \"username\" varchar(64) not null, \"password_hash\" varchar(255) not null, \"role\" varchar(16) not null default 'user', \"user_group\" varchar(64) not null default 'default', \"status\" varchar(16) not null default 'active', \"balance\" bigint not null default 0, \"created_at\" timestamptz not null, \"updated_at\" timestamptz not null, constraint \"users_pkey\" primary key (\"id\"));");
    this.addSql('alter table "users" add constraint "users_username_unique" unique ("username");');
    this.addSql('create table "sessions" ("id" varchar(36) not null, "token_hash" varchar(64) not null, "user_id" varchar(36) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, constraint "sessions_pkey" primary key ("id"));');
    this.addSql('alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");');
    this.addSql("create table \"api_tokens\" (\"id\" varchar(36) not null, \"key_hash\" varchar(64) not null, \"key_prefix\" varchar(32) not null, \"name\" varchar(128) not null, \"status\" varchar(16) not null default 'active', \"expires_at\" timestamptz null, \"models\" jsonb null, \"user_id\" varchar(36) not null, \"created_at\" timestamptz not null, \"updated_at\" timestamptz not null, constraint \"api_tokens_pkey\" primary key (\"id\"));");
    this.addSql('alter table "api_tokens" add constraint "api_tokens_key_hash_unique" unique ("key_hash");');
    this.addSql('alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;');
    this.addSql('create index "sessions_user_id_index" on "sessions" ("user_id");');
    this.addSql('create index "api_tokens_user_id_index" on "api_tokens" ("user_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "api_tokens";');
    this.addSql('drop table if exists "sessions";');
    this.addSql('drop table if exists "users";');
    this.addSql('drop table if exists "usage_logs";');
    this.addSql('drop table if exists "model_prices";');
    this.addSql('drop table if exists "ledger_entries";');
    this.addSql('drop table if exists "channels";');
    this.addSql('drop table if exists "audit_logs";');
  }
}
