// Every provider event we acted on, unique per (provider, event id): a replayed delivery is recognised and ignored.
import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

@Entity({ tableName: 'payment_events' })
@Unique({ properties: ['provider', 'eventId'] })
export class PaymentEvent {
  [OptionalProps]?: 'id' | 'orderId' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 16 })
  provider!: string;

  @Property({ type: 'string', length: 255 })
  eventId!: string;

  @Property({ type: 'string', length: 128 })
  eventType!: string;

  @Property({ type: 'string', length: 36, nullable: true })
  orderId: string | null = null;

  @Property({ type: 'string', length: 32 })
  outcome!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
