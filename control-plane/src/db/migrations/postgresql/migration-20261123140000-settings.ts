// Gateway settings documents (postgresql).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261123140000Settings extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "settings" ("key" varchar(64) not null, "value" jsonb not null, "updated_at" timestamptz not null, constraint "settings_pkey" primary key ("key"));');
  }
}
