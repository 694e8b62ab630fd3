// Money (sqlite): the ledger hash chain (+ backfill of older postings), the audit chain columns, vouchers, payment
// orders and events.
import { Migration } from '@mikro-orm/migrations';
import { backfillLedgerChain } from '../../../modules/ledger/ledger-chain-backfill';

export class Migration20261123110000Money extends Migration {
  override async up(): Promise<void> {
    // execute() (not addSql) throughout: the backfill must run between the DDL statements, in this transaction.
    const run = (sql: string, params?: unknown[]) => this.execute(sql, params) as Promise<Array<Record<string, unknown>>>;
    await run('create table `chain_heads` (`name` text not null, `sequence` bigint not null default 0, `hash` text not null, primary key (`name`));');
    await run('alter table `ledger_entries` add column `sequence` bigint not null default 0;');
    await run("alter table `ledger_entries` add column `prev_hash` text not null default '';");
    await run("alter table `ledger_entries` add column `hash` text not null default '';");
    await backfillLedgerChain(run);
    await run('create unique index `ledger_entries_sequence_unique` on `ledger_entries` (`sequence`);');
    // The audit trail is sealed into its own chain by the sealer (rows stay null until then).
    await run("insert into `chain_heads` (`name`, `sequence`, `hash`) values ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');");
    await run('alter table `audit_logs` add column `sequence` bigint null;');
    await run('alter table `audit_logs` add column `prev_hash` text null;');
    await run('alter table `audit_logs` add column `hash` text null;');
    await run('create unique index `audit_logs_sequence_unique` on `audit_logs` (`sequence`);');
    await run("create table `vouchers` (`id` text not null, `batch_id` text not null, `code_hash` text not null, `sealed_code` text not null, `code_hint` text not null, `kind` text not null, `amount` bigint not null default 0, `plan_id` text null, `plan_periods` integer null, `max_redemptions` integer null, `redemption_count` integer not null default 0, `once_per_user` integer not null default true, `models` json null, `groups` json null, `expires_at` datetime null, `status` text not null default 'active', `note` text null, `created_by` text null, `created_at` datetime not null, primary key (`id`));");
    await run('create unique index `vouchers_code_hash_unique` on `vouchers` (`code_hash`);');
    await run('create index `vouchers_batch_id_index` on `vouchers` (`batch_id`);');
    await run('create index `vouchers_created_at_id_index` on `vouchers` (`created_at`, `id`);');
    await run('create table `voucher_redemptions` (`id` text not null, `voucher_id` text not null, `user_id` text not null, `redemption_key` text not null, `amount` bigint not null, `ledger_entry_id` text null, `created_at` datetime not null, primary key (`id`));');
    await run('create unique index `voucher_redemptions_redemption_key_unique` on `voucher_redemptions` (`redemption_key`);');
    await run('create index `voucher_redemptions_voucher_id_index` on `voucher_redemptions` (`voucher_id`);');
    await run('create index `voucher_redemptions_user_id_index` on `voucher_redemptions` (`user_id`);');
    await run("create table `payment_orders` (`id` text not null, `provider` text not null, `user_id` text not null, `status` text not null default 'pending', `currency` text not null, `amount_minor` bigint not null, `credits` bigint not null, `method` text null, `external_id` text null, `ledger_entry_id` text null, `paid_at` datetime null, `created_at` datetime not null, primary key (`id`));");
    await run('create index `payment_orders_user_id_created_at_index` on `payment_orders` (`user_id`, `created_at`);');
    await run('create unique index `payment_orders_provider_external_id_unique` on `payment_orders` (`provider`, `external_id`);');
    await run('create table `payment_events` (`id` text not null, `provider` text not null, `event_id` text not null, `event_type` text not null, `order_id` text null, `outcome` text not null, `created_at` datetime not null, primary key (`id`));');
    await run('create unique index `payment_events_provider_event_id_unique` on `payment_events` (`provider`, `event_id`);');
  }
}
