// Gateway settings documents (sqlite).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123140000Settings extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `settings` (`key` text not null, `value` json not null, `updated_at` datetime not null, primary key (`key`));');
  }
}
