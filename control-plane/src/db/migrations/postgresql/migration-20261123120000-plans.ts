// Plans, plan subscriptions and plan postings; token quota columns (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120000Plans extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "plans" ("id" varchar(36) not null, "name" varchar(128) not null, "allowance" bigint not null, "period" varchar(16) not null, "rollover_cap" bigint null, "models" jsonb null, "groups" jsonb null, "price" varchar(64) null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "plans_pkey" primary key ("id"));');
    this.addSql('alter table "plans" add constraint "plans_name_unique" unique ("name");');
    this.addSql('create table "plan_subscriptions" ("id" varchar(36) not null, "user_id" varchar(64) not null, "plan_id" varchar(36) not null, "period_key" varchar(32) not null, "created_at" timestamptz not null, constraint "plan_subscriptions_pkey" primary key ("id"));');
    this.addSql('alter table "plan_subscriptions" add constraint "plan_subscriptions_user_id_unique" unique ("user_id");');
    this.addSql('create index "plan_subscriptions_plan_id_index" on "plan_subscriptions" ("plan_id");');
    this.addSql('create table "plan_postings" ("id" varchar(36) not null, "user_id" varchar(64) not null, "kind" varchar(32) not null, "amount" bigint not null, "period_key" varchar(32) null, "idempotency_key" varchar(255) not null, "reason" varchar(1024) not null, "created_at" timestamptz not null, constraint "plan_postings_pkey" primary key ("id"));');
    this.addSql('alter table "plan_postings" add constraint "plan_postings_idempotency_key_unique" unique ("idempotency_key");');
    this.addSql('create index "plan_postings_user_id_created_at_index" on "plan_postings" ("user_id", "created_at");');
    this.addSql('create table "balance_alerts" ("user_id" varchar(64) not null, "threshold" bigint not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "balance_alerts_pkey" primary key ("user_id"));');
    this.addSql('alter table "api_tokens" add column "quota" bigint not null default 0, add column "unlimited_quota" boolean not null default true, add column "quota_used" bigint not null default 0;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "balance_alerts";');
    this.addSql('drop table if exists "plan_postings";');
    this.addSql('drop table if exists "plan_subscriptions";');
    this.addSql('drop table if exists "plans";');
    this.addSql('alter table "api_tokens" drop column "quota_used", drop column "unlimited_quota", drop column "quota";');
  }
}
