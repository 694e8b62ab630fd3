// Money (postgresql): the ledger hash chain (+ backfill of older postings), the audit chain columns, vouchers,
// payment orders and events.
import { Migration } from '@mikro-orm/migrations';
import { backfillLedgerChain } from '../../../modules/ledger/ledger-chain-backfill';

export class Migration20261123110000Money extends Migration {
  override async up(): Promise<void> {
    // execute() (not addSql) throughout: the backfill must run between the DDL statements, in this transaction.
    const run = (sql: string, params?: unknown[]) => this.execute(sql, params) as Promise<Array<Record<string, unknown>>>;
    await run('create table "chain_heads" ("name" varchar(32) not null, "sequence" bigint not null default 0, "hash" varchar(64) not null, constraint "chain_heads_pkey" primary key ("name"));');
    await run('alter table "ledger_entries" add column "sequence" bigint not null default 0, add column "prev_hash" varchar(64) not null default \'\', add column "hash" varchar(64) not null default \'\';');
    await backfillLedgerChain(run);
    await run('alter table "ledger_entries" alter column "sequence" drop default, alter column "prev_hash" drop default, alter column "hash" drop default;');
    await run('alter table "ledger_entries" add constraint "ledger_entries_sequence_unique" unique ("sequence");');
    // The audit trail is sealed into its own chain by the sealer (rows stay null until then).
    await run(`insert into "chain_heads" ("name", "sequence", "hash") values ('audit', 0, '${'0'.repeat(64)}');`);
    await run('alter table "audit_logs" add column "sequence" bigint null, add column "prev_hash" varchar(64) null, add column "hash" varchar(64) null;');
    await run('alter table "audit_logs" add constraint "audit_logs_sequence_unique" unique ("sequence");');
    await run('create table "vouchers" ("id" varchar(36) not null, "batch_id" varchar(36) not null, "code_hash" varchar(64) not null, "sealed_code" varchar(512) not null, "code_hint" varchar(64) not null, "kind" varchar(16) not null, "amount" bigint not null default 0, "plan_id" varchar(64) null, "plan_periods" int null, "max_redemptions" int null, "redemption_count" int not null default 0, "once_per_user" boolean not null default true, "models" jsonb null, "groups" jsonb null, "expires_at" timestamptz null, "status" varchar(16) not null default \'active\', "note" varchar(255) null, "created_by" varchar(64) null, "created_at" timestamptz not null, constraint "vouchers_pkey" primary key ("id"));');
    await run('alter table "vouchers" add constraint "vouchers_code_hash_unique" unique ("code_hash");');
    await run('create index "vouchers_batch_id_index" on "vouchers" ("batch_id");');
    await run('create index "vouchers_created_at_id_index" on "vouchers" ("created_at", "id");');
    await run('create table "voucher_redemptions" ("id" varchar(36) not null, "voucher_id" varchar(36) not null, "user_id" varchar(64) not null, "redemption_key" varchar(255) not null, "amount" bigint not null, "ledger_entry_id" varchar(36) null, "created_at" timestamptz not null, constraint "voucher_redemptions_pkey" primary key ("id"));');
    await run('alter table "voucher_redemptions" add constraint "voucher_redemptions_redemption_key_unique" unique ("redemption_key");');
    await run('create index "voucher_redemptions_voucher_id_index" on "voucher_redemptions" ("voucher_id");');
    await run('create index "voucher_redemptions_user_id_index" on "voucher_redemptions" ("user_id");');
    await run('create table "payment_orders" ("id" varchar(36) not null, "provider" varchar(16) not null, "user_id" varchar(64) not null, "status" varchar(16) not null default \'pending\', "currency" varchar(8) not null, "amount_minor" bigint not null, "credits" bigint not null, "method" varchar(32) null, "external_id" varchar(255) null, "ledger_entry_id" varchar(36) null, "paid_at" timestamptz null, "created_at" timestamptz not null, constraint "payment_orders_pkey" primary key ("id"));');
    await run('create index "payment_orders_user_id_created_at_index" on "payment_orders" ("user_id", "created_at");');
    await run('alter table "payment_orders" add constraint "payment_orders_provider_external_id_unique" unique ("provider", "external_id");');
    await run('create table "payment_events" ("id" varchar(36) not null, "provider" varchar(16) not null, "event_id" varchar(255) not null, "event_type" varchar(128) not null, "order_id" varchar(36) null, "outcome" varchar(32) not null, "created_at" timestamptz not null, constraint "payment_events_pkey" primary key ("id"));');
    await run('alter table "payment_events" add constraint "payment_events_provider_event_id_unique" unique ("provider", "event_id");');
  }
}
