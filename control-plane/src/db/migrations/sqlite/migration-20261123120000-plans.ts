// Plans, plan subscriptions and plan postings; token quota columns (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120000Plans extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `plans` (`id` text not null, `name` text not null, `allowance` bigint not null, `period` text not null, `rollover_cap` bigint null, `models` json null, `groups` json null, `price` text null, `active` integer not null default true, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `plans_name_unique` on `plans` (`name`);');
    this.addSql('create table `plan_subscriptions` (`id` text not null, `user_id` text not null, `plan_id` text not null, `period_key` text not null, `created_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `plan_subscriptions_user_id_unique` on `plan_subscriptions` (`user_id`);');
    this.addSql('create index `plan_subscriptions_plan_id_index` on `plan_subscriptions` (`plan_id`);');
    this.addSql('create table `plan_postings` (`id` text not null, `user_id` text not null, `kind` text not null, `amount` bigint not null, `period_key` text null, `idempotency_key` text not null, `reason` text not null, `created_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `plan_postings_idempotency_key_unique` on `plan_postings` (`idempotency_key`);');
    this.addSql('create index `plan_postings_user_id_created_at_index` on `plan_postings` (`user_id`, `created_at`);');
    this.addSql('create table `balance_alerts` (`user_id` text not null, `threshold` bigint not null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`user_id`));');
    this.addSql('alter table `api_tokens` add column `quota` bigint not null default 0;');
    this.addSql('alter table `api_tokens` add column `unlimited_quota` integer not null default true;');
    this.addSql('alter table `api_tokens` add column `quota_used` bigint not null default 0;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `balance_alerts`;');
    this.addSql('drop table if exists `plan_postings`;');
    this.addSql('drop table if exists `plan_subscriptions`;');
    this.addSql('drop table if exists `plans`;');
    this.addSql('alter table `api_tokens` drop column `quota_used`;');
    this.addSql('alter table `api_tokens` drop column `unlimited_quota`;');
    this.addSql('alter table `api_tokens` drop column `quota`;');
  }
}
