// One redemption. redemptionKey is unique: "<voucher>:<user>" for once-per-user codes, so a second redemption by the
// same user cannot be inserted however many race; "<voucher>:<user>:<n>" (n from the guarded counter) otherwise.
import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'voucher_redemptions' })
@Index({ properties: ['voucherId'] })
@Index({ properties: ['userId'] })
export class VoucherRedemption {
  [OptionalProps]?: 'id' | 'ledgerEntryId' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 36 })
  voucherId!: string;

  @Property({ type: 'string', length: 64 })
  userId!: string;

  @Property({ type: 'string', length: 255, unique: true })
  redemptionKey!: string;

  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Property({ type: 'string', length: 36, nullable: true })
  ledgerEntryId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
