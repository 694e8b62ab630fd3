// Notices: a user's e-mail address; a plan subscription's end date and its "ending soon" notice marker (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261124090000Notices extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `users` add column `email` text null;');
    this.addSql('alter table `plan_subscriptions` add column `ends_at` datetime null;');
    this.addSql('alter table `plan_subscriptions` add column `expiry_notice_for` datetime null;');
    this.addSql('create index `plan_subscriptions_ends_at_index` on `plan_subscriptions` (`ends_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists `plan_subscriptions_ends_at_index`;');
    this.addSql('alter table `plan_subscriptions` drop column `expiry_notice_for`;');
    this.addSql('alter table `plan_subscriptions` drop column `ends_at`;');
    this.addSql('alter table `users` drop column `email`;');
  }
}
