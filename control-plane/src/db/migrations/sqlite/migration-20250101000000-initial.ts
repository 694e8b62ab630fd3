// Initial schema (sqlite). Generated once from the entities with MikroORM's schema generator, then frozen.
import { Migration } from '@mikro-orm/migrations';

export class Migration20250101000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `audit_logs` (`id` text not null, `actor_id` text null, `action` text not null, `target` text null, `before` json null, `after` json null, `ip` text null, `created_at` datetime not null, primary key (`id`));');
    this.addSql('create index `audit_logs_created_at_index` on `audit_logs` (`created_at`);');
    this.addSql("create table `channels` (`id` text not null, `name` text not null, `type` text not null, `base_url` text not null, `sealed_keys` json not null, `key_hint_value` text not null default '', `models` json not null, `model_mapping` json not null, `groups` json not null, `priority` integer not null default 0, `weight` integer not null default 1, `status` text not null default 'enabled', `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));");
    this.addSql('create table `ledger_entries` (`id` text not null, `user_id` text not null, `kind` text not null, `amount` bigint not null, `balance_after` bigint not null, `reason` text not null, `actor_id` text null, `idempotency_key` text not null, `created_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `ledger_entries_idempotency_key_unique` on `ledger_entries` (`idempotency_key`);');
    this.addSql('create index `ledger_entries_user_id_created_at_index` on `ledger_entries` (`user_id`, `created_at`);');
    this.addSql('create table `model_prices` (`id` text not null, `model` text not null, `input_per_million` bigint not null default 0, `output_per_million` bigint not null default 0, `cache_read_per_million` bigint null, `cache_write_per_million` bigint null, `per_call` bigint not null default 0, `default_max_output_tokens` integer null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `model_prices_model_unique` on `model_prices` (`model`);');
    this.addSql('create table `usage_logs` (`id` text not null, `request_id` text not null, `user_id` text not null, `token_id` text not null, `channel_id` text null, `model` text not null, `upstream_model` text null, `endpoint` text not null, `stream` integer not null default false, `status` text not null, `http_status` integer not null, `prompt_tokens` integer not null default 0, `completion_tokens` integer not null default 0, `cache_read_tokens` integer not null default 0, `cache_write_tokens` integer not null default 0, `estimated` integer not null default false, `cost` bigint not null default 0, `reserved` bigint not null default 0, `snapshot_version` integer not null default 0, `duration_ms` integer not null default 0, `first_byte_ms` integer null, `client_ip` text null, `error_code` text null, `created_at` datetime not null, `billed_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `usage_logs_request_id_unique` on `usage_logs` (`request_id`);');
    this.addSql('create index `usage_logs_user_id_created_at_index` on `usage_logs` (`user_id`, `created_at`);');
    this.addSql('create index `usage_logs_created_at_id_index` on `usage_logs` (`created_at`, `id`);');
    this.addSql("create table `users` (`id` text not null, `username` text not null, `password_hash` text not null, `role` text not null default 'user', `user_group` text not null default 'default', `status` text not null default 'active', `balance` bigint not null default 0, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));");
    this.addSql('create unique index `users_username_unique` on `users` (`username`);');
    this.addSql('create table `sessions` (`id` text not null, `token_hash` text not null, `user_id` text not null, `expires_at` datetime not null, `created_at` datetime not null, constraint `sessions_user_id_foreign` foreign key(`user_id`) references `users`(`id`) on delete cascade on update cascade, primary key (`id`));');
    this.addSql('create unique index `sessions_token_hash_unique` on `sessions` (`token_hash`);');
    this.addSql('create index `sessions_user_id_index` on `sessions` (`user_id`);');
    this.addSql("create table `api_tokens` (`id` text not null, `key_hash` text not null, `key_prefix` text not null, `name` text not null, `status` text not null default 'active', `expires_at` datetime null, `models` json null, `user_id` text not null, `created_at` datetime not null, `updated_at` datetime not null, constraint `api_tokens_user_id_foreign` foreign key(`user_id`) references `users`(`id`) on delete cascade on update cascade, primary key (`id`));");
    this.addSql('create unique index `api_tokens_key_hash_unique` on `api_tokens` (`key_hash`);');
    this.addSql('create index `api_tokens_user_id_index` on `api_tokens` (`user_id`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `api_tokens`;');
    this.addSql('drop table if exists `sessions`;');
    this.addSql('drop table if exists `users`;');
    this.addSql('drop table if exists `usage_logs`;');
    this.addSql('drop table if exists `model_prices`;');
    this.addSql('drop table if exists `ledger_entries`;');
    this.addSql('drop table if exists `channels`;');
    this.addSql('drop table if exists `audit_logs`;');
  }
}
