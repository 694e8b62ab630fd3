// Gateway-wide settings as one JSON document per key (today: `gateway`, compiled into snapshot.settings and
// snapshot.groupMultipliers). A key/value table keeps new settings free of migrations.
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'settings' })
export class Setting {
  @PrimaryKey({ type: 'string', length: 64 })
  key!: string;

  @Property({ type: 'json' })
  value!: Record<string, unknown>;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
