// A console user. Balance is integer credits as booked in the ledger (the Redis wallet is the spendable mirror).
import { randomUUID } from 'node:crypto';
import type { Limits } from '@nebulagate/schema';
import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LimitsType } from '../setting/setting.types';

export enum Role {
  ROOT = 'root',
  ADMIN = 'admin',
  USER = 'user',
}
registerEnumType(Role, { name: 'Role' });

export enum UserStatus {
  ACTIVE = 'active',
  DISABLED = 'disabled',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType()
@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?: 'id' | 'email' | 'role' | 'group' | 'status' | 'balance' | 'limits' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 64, unique: true })
  username!: string;

  @Property({ type: 'string', length: 255, hidden: true })
  passwordHash!: string;

  @Field(() => String, { nullable: true, description: 'Where notices for this user go (low balance, plan ending) when SMTP is configured.' })
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Field(() => Role)
  @Property({ type: 'string', length: 16 })
  role: Role = Role.USER;

  @Field(() => String)
  @Property({ type: 'string', length: 64, fieldName: 'user_group' })
  group: string = 'default';

  @Field(() => UserStatus)
  @Property({ type: 'string', length: 16 })
  status: UserStatus = UserStatus.ACTIVE;

  @Field(() => LimitsType, { nullable: true, description: "This user's own rate caps; null = the group defaults in the gateway settings." })
  @Property({ type: 'json', nullable: true })
  limits: Limits | null = null;

  @Field(() => SafeIntResolver, { description: 'Wallet balance in credits (1 credit = 1e-6 USD), as booked in the ledger.' })
  @Property({ type: new BigIntType('number'), default: 0 })
  balance: number = 0;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
